// Compiled with -mavx2 -mfma (see CMakeLists.txt); used only after a run-time CPU check.
#include "core/retrieval/VectorKernelsImpl.h"
#include "core/retrieval/VectorKernelsX86.h"

namespace ragdesk {

namespace {
void dotsInt8(const Int8Query &query, const std::int8_t *rows, std::size_t rowCount, std::size_t stride,
              std::int32_t *out)
{
    // Pairs of products fit int16: |row| <= 127 and |query| <= 127, so at most 2 * 127 * 127.
    const __m256i ones = _mm256_set1_epi16(1);
    kernels::x86::dotsInt8Signed(query, rows, rowCount, stride, out, [ones](__m256i sums, __m256i u, __m256i s) {
        return _mm256_add_epi32(sums, _mm256_madd_epi16(_mm256_maddubs_epi16(u, s), ones));
    });
}
} // namespace

VectorKernels avx2VectorKernels()
{
    VectorKernels set = kernels::kernelsFor<xsimd::fma3<xsimd::avx2>>("avx2+fma");
    set.dotsInt8 = &dotsInt8; // five instructions per 32 bytes where xsimd's portable form needs eleven
    return set;
}

} // namespace ragdesk

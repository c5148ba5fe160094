// Compiled with -mavx2 -mfma -mavxvnni (see CMakeLists.txt); used only after a run-time CPU check.
#include "core/retrieval/VectorKernelsX86.h"

namespace ragdesk {

namespace {
void dotsInt8(const Int8Query &query, const std::int8_t *rows, std::size_t rowCount, std::size_t stride,
              std::int32_t *out)
{
    kernels::x86::dotsInt8Signed(query, rows, rowCount, stride, out, [](__m256i sums, __m256i u, __m256i s) {
        return _mm256_dpbusd_avx_epi32(sums, u, s); // one instruction: four products and the sum
    });
}
} // namespace

VectorKernels avxVnniVectorKernels()
{
    // The float kernel has nothing to gain from VNNI; the AVX2 one is reused rather than compiled
    // again with other flags.
    VectorKernels set = avx2VectorKernels();
    set.dotsInt8 = &dotsInt8;
    set.name = "avx-vnni";
    return set;
}

} // namespace ragdesk

#pragma once

// The int8 scan kernel written with x86 intrinsics, for the files compiled with -mavx2 (and
// -mavxvnni). Include only from those files: everything here has internal linkage, so each file
// keeps its own copy built with its own flags and the linker never mixes them.

#include "core/retrieval/VectorKernels.h"

#include <immintrin.h>

namespace ragdesk::kernels::x86 {
namespace {

static_assert(VectorKernels::int8StrideMultiple % 64 == 0, "the loop below reads 64 bytes at a time");

inline std::int32_t horizontalSum(__m256i sums)
{
    __m128i half = _mm_add_epi32(_mm256_castsi256_si128(sums), _mm256_extracti128_si256(sums, 1));
    half = _mm_add_epi32(half, _mm_shuffle_epi32(half, _MM_SHUFFLE(1, 0, 3, 2)));
    half = _mm_add_epi32(half, _mm_shuffle_epi32(half, _MM_SHUFFLE(2, 3, 0, 1)));
    return _mm_cvtsi128_si32(half);
}

/// The x86 byte multiplies take one unsigned and one signed operand. A dot product is unchanged
/// when both elements of each pair change sign together, so the row becomes |row| (unsigned) and
/// the query takes the row's signs: two cheap instructions instead of widening to int16.
/// @p multiplyAdd(sums, unsignedBytes, signedBytes) adds each group of four byte products to the
/// matching int32 lane of sums.
template<class MultiplyAdd>
void dotsInt8Signed(const Int8Query &query, const std::int8_t *rows, std::size_t rowCount, std::size_t stride,
                    std::int32_t *out, MultiplyAdd multiplyAdd)
{
    for (std::size_t r = 0; r < rowCount; ++r) {
        const std::int8_t *row = rows + r * stride;
        // Two accumulators hide the latency of the dependent multiply-adds.
        __m256i sums0 = _mm256_setzero_si256();
        __m256i sums1 = _mm256_setzero_si256();
        for (std::size_t i = 0; i < stride; i += 64) {
            const __m256i row0 = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(row + i));
            const __m256i row1 = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(row + i + 32));
            const __m256i query0 = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(query.elements + i));
            const __m256i query1 = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(query.elements + i + 32));
            sums0 = multiplyAdd(sums0, _mm256_abs_epi8(row0), _mm256_sign_epi8(query0, row0));
            sums1 = multiplyAdd(sums1, _mm256_abs_epi8(row1), _mm256_sign_epi8(query1, row1));
        }
        out[r] = horizontalSum(_mm256_add_epi32(sums0, sums1));
    }
}

} // namespace
} // namespace ragdesk::kernels::x86

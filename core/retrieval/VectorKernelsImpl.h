#pragma once

// Templates behind VectorKernels, instantiated once per instruction set. Include only from the
// VectorKernels*.cpp files, and include nothing else there (see VectorKernels.h).

#include "core/retrieval/VectorKernels.h"

#include <xsimd/xsimd.hpp>

namespace ragdesk::kernels {

template<class Arch>
void dotsFloat(const float *query, const float *rows, std::size_t rowCount, std::size_t stride, float *out)
{
    using Batch = xsimd::batch<float, Arch>;
    constexpr std::size_t lanes = Batch::size;
    static_assert(VectorKernels::floatStrideMultiple % (2 * lanes) == 0);
    for (std::size_t r = 0; r < rowCount; ++r) {
        const float *row = rows + r * stride;
        // Two accumulators hide the latency of the dependent multiply-adds.
        Batch sum0(0.0f);
        Batch sum1(0.0f);
        for (std::size_t i = 0; i < stride; i += 2 * lanes) {
            sum0 = xsimd::fma(Batch::load_unaligned(row + i), Batch::load_unaligned(query + i), sum0);
            sum1 = xsimd::fma(Batch::load_unaligned(row + i + lanes), Batch::load_unaligned(query + i + lanes),
                              sum1);
        }
        out[r] = xsimd::reduce_add(sum0 + sum1);
    }
}

template<class Arch>
void dotsInt8(const Int8Query &query, const std::int8_t *rows, std::size_t rowCount, std::size_t stride,
              std::int32_t *out)
{
    using Short = xsimd::batch<std::int16_t, Arch>;
    using Int = xsimd::batch<std::int32_t, Arch>;
    constexpr std::size_t lanes = Short::size; // each lane holds two int8 elements
    static_assert(VectorKernels::int8StrideMultiple % (2 * lanes) == 0);
    for (std::size_t r = 0; r < rowCount; ++r) {
        const std::int8_t *row = rows + r * stride;
        Int sum(0);
        for (std::size_t i = 0; i < stride; i += 2 * lanes) {
            // Little-endian: the low byte of each int16 lane is the even element.
            const Short pair = Short::load_unaligned(reinterpret_cast<const std::int16_t *>(row + i));
            const Short even = (pair << 8) >> 8; // arithmetic shifts sign-extend
            const Short odd = pair >> 8;
            // Elements are in [-127, 127]: each product fits int16 and so does the sum of two.
            const Short twoProducts = even * Short::load_unaligned(query.even + i / 2)
                                      + odd * Short::load_unaligned(query.odd + i / 2);
            const Int wide = xsimd::bitwise_cast<std::int32_t>(twoProducts);
            sum += ((wide << 16) >> 16) + (wide >> 16);
        }
        out[r] = xsimd::reduce_add(sum);
    }
}

template<class Arch>
VectorKernels kernelsFor(const char *name)
{
    VectorKernels set;
    set.dotsFloat = &dotsFloat<Arch>;
    set.dotsInt8 = &dotsInt8<Arch>;
    set.name = name;
    return set;
}

} // namespace ragdesk::kernels

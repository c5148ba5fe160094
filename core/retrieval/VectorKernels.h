#pragma once

#include <cstddef>
#include <cstdint>

namespace ragdesk {

/// An int8 query in every layout an int8 kernel reads (QuantisedQuery owns the buffers).
struct Int8Query {
    const std::int8_t *elements = nullptr; ///< the stride padded elements
    /// The even and odd elements widened to int16 (stride / 2 each), for kernels without a
    /// signed byte multiply: they read a row as int16 pairs and need no widening instruction,
    /// which xsimd does not offer.
    const std::int16_t *even = nullptr;
    const std::int16_t *odd = nullptr;
};

/// The inner loops of the exact vector scan, compiled once per instruction set and picked at run
/// time, so a package built for plain x86-64 still uses AVX2 where the machine has it.
/// Kept free of Qt types: the AVX2 translation unit is compiled with -mavx2 and must not emit
/// inline Qt or standard-library code that the linker could pick for the rest of the program.
struct VectorKernels {
    /// Rows are padded with zeros to a multiple of these, so the loops never need a tail.
    static constexpr std::size_t floatStrideMultiple = 16;
    static constexpr std::size_t int8StrideMultiple = 64;

    /// out[r] = dot(query, rows + r * stride) over the whole (padded) stride.
    using DotsFloat = void (*)(const float *query, const float *rows, std::size_t rowCount,
                               std::size_t stride, float *out);
    /// out[r] = exact integer dot of the int8 query and row r (elements in [-127, 127]).
    using DotsInt8 = void (*)(const Int8Query &query, const std::int8_t *rows, std::size_t rowCount,
                              std::size_t stride, std::int32_t *out);

    DotsFloat dotsFloat = nullptr;
    DotsInt8 dotsInt8 = nullptr;
    const char *name = "";

    /// The fastest set this CPU runs; decided once.
    static const VectorKernels &best();
    /// Every set this CPU runs, baseline first (for tests and the benchmark).
    static std::size_t availableCount();
    static const VectorKernels &available(std::size_t index);
};

/// Defined in VectorKernels.cpp (baseline), VectorKernelsAvx2.cpp and VectorKernelsAvxVnni.cpp.
VectorKernels baselineVectorKernels();
VectorKernels avx2VectorKernels();
VectorKernels avxVnniVectorKernels();

} // namespace ragdesk

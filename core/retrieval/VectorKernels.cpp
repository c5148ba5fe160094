#include "core/retrieval/VectorKernelsImpl.h"

#include <vector>

namespace ragdesk {

VectorKernels baselineVectorKernels()
{
    return kernels::kernelsFor<xsimd::default_arch>(xsimd::default_arch::name());
}

namespace {
const std::vector<VectorKernels> &availableSets()
{
    static const std::vector<VectorKernels> sets = [] {
        std::vector<VectorKernels> result{baselineVectorKernels()};
#ifdef RAGDESK_VECTOR_KERNELS_AVX2
        const auto cpu = xsimd::available_architectures();
        if (cpu.fma3_avx2)
            result.push_back(avx2VectorKernels());
        if (cpu.fma3_avx2 && cpu.avxvnni)
            result.push_back(avxVnniVectorKernels());
#endif
        return result;
    }();
    return sets;
}
} // namespace

const VectorKernels &VectorKernels::best()
{
    return availableSets().back();
}

std::size_t VectorKernels::availableCount()
{
    return availableSets().size();
}

const VectorKernels &VectorKernels::available(std::size_t index)
{
    return availableSets().at(index);
}

} // namespace ragdesk

// Compiled with -mavx2 -mfma (see CMakeLists.txt); used only after a run-time CPU check.
#include "core/retrieval/VectorKernelsImpl.h"

namespace ragdesk {

VectorKernels avx2VectorKernels()
{
    return kernels::kernelsFor<xsimd::fma3<xsimd::avx2>>("avx2+fma");
}

} // namespace ragdesk

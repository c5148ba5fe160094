#pragma once

#include "core/retrieval/VectorKernels.h"

#include <QtGlobal>

#include <cstdint>
#include <span>
#include <vector>

namespace ragdesk {

/// Owns an int8 query in every layout the int8 scan kernels read (Int8Query), so callers do not
/// each build the int16 halves the portable kernel wants.
class QuantisedQuery
{
public:
    /// @p elements: a query already in [-127, 127], padded with zeros to the matrix's int8 stride.
    explicit QuantisedQuery(std::span<const std::int8_t> elements);
    /// Quantises @p unit (a unit-length query; VectorMatrix::quantise) into @p stride elements.
    static QuantisedQuery fromUnit(std::span<const float> unit, qsizetype stride);

    /// Valid while this object lives and is not moved.
    [[nodiscard]] Int8Query view() const { return {m_elements.data(), m_even.data(), m_odd.data()}; }

private:
    std::vector<std::int8_t> m_elements;
    std::vector<std::int16_t> m_even;
    std::vector<std::int16_t> m_odd;
};

} // namespace ragdesk

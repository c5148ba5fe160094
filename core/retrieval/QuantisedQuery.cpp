#include "core/retrieval/QuantisedQuery.h"

#include "core/retrieval/VectorMatrix.h"

namespace ragdesk {

QuantisedQuery::QuantisedQuery(std::span<const std::int8_t> elements)
    : m_elements(elements.begin(), elements.end())
{
    // An odd count cannot happen with a padded stride; the last element then pairs with a zero.
    m_elements.resize(m_elements.size() + m_elements.size() % 2, 0);
    m_even.resize(m_elements.size() / 2);
    m_odd.resize(m_elements.size() / 2);
    for (size_t i = 0; i < m_even.size(); ++i) {
        m_even[i] = m_elements[2 * i];
        m_odd[i] = m_elements[2 * i + 1];
    }
}

QuantisedQuery QuantisedQuery::fromUnit(std::span<const float> unit, qsizetype stride)
{
    std::vector<std::int8_t> quantised(size_t(stride), 0);
    VectorMatrix::quantise(unit, quantised);
    return QuantisedQuery(quantised);
}

} // namespace ragdesk

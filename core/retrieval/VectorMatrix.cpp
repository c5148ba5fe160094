#include "core/retrieval/VectorMatrix.h"

#include "core/retrieval/VectorKernels.h"

#include <algorithm>
#include <cmath>

namespace ragdesk {

namespace {
qsizetype roundUp(qsizetype value, qsizetype multiple)
{
    return (value + multiple - 1) / multiple * multiple;
}
} // namespace

VectorMatrix::VectorMatrix(int dimensions)
    : m_dimensions(std::max(dimensions, 1))
    , m_floatStride(roundUp(m_dimensions, VectorKernels::floatStrideMultiple))
    , m_int8Stride(roundUp(m_dimensions, VectorKernels::int8StrideMultiple))
{
}

void VectorMatrix::reserve(qsizetype rows)
{
    m_floats.reserve(size_t(rows * m_floatStride));
    m_int8.reserve(size_t(rows * m_int8Stride));
    m_scales.reserve(size_t(rows));
    m_chunkIds.reserve(size_t(rows));
    m_rowOfChunk.reserve(rows);
    m_documentIds.reserve(size_t(rows));
}

bool VectorMatrix::append(qint64 chunkId, qint64 documentId, std::span<const float> vector)
{
    if (qsizetype(vector.size()) != m_dimensions)
        return false;
    const size_t floatStart = m_floats.size();
    m_floats.resize(floatStart + size_t(m_floatStride));
    const std::span<float> unit(m_floats.data() + floatStart, size_t(m_floatStride));
    if (!normalise(vector, unit)) {
        m_floats.resize(floatStart);
        return false;
    }
    const size_t int8Start = m_int8.size();
    m_int8.resize(int8Start + size_t(m_int8Stride), 0);
    m_scales.push_back(quantise(unit.first(size_t(m_dimensions)),
                                std::span<qint8>(m_int8.data() + int8Start, size_t(m_dimensions))));
    m_rowOfChunk.insert(chunkId, qsizetype(m_chunkIds.size()));
    m_chunkIds.push_back(chunkId);
    m_documentIds.push_back(documentId);
    return true;
}

template<class Predicate>
qsizetype VectorMatrix::removeRows(Predicate remove)
{
    // One pass that slides kept rows down: order stays the append order, so scans stay
    // deterministic and rows of one document stay adjacent (the scan's filter caches on that).
    const size_t count = m_chunkIds.size();
    size_t kept = 0;
    for (size_t r = 0; r < count; ++r) {
        if (remove(r)) {
            m_rowOfChunk.remove(m_chunkIds[r]);
            continue;
        }
        if (kept != r) {
            std::copy_n(m_floats.begin() + qsizetype(r) * m_floatStride, m_floatStride,
                        m_floats.begin() + qsizetype(kept) * m_floatStride);
            std::copy_n(m_int8.begin() + qsizetype(r) * m_int8Stride, m_int8Stride,
                        m_int8.begin() + qsizetype(kept) * m_int8Stride);
            m_scales[kept] = m_scales[r];
            m_chunkIds[kept] = m_chunkIds[r];
            m_documentIds[kept] = m_documentIds[r];
            m_rowOfChunk.insert(m_chunkIds[kept], qsizetype(kept));
        }
        ++kept;
    }
    m_floats.resize(kept * size_t(m_floatStride));
    m_int8.resize(kept * size_t(m_int8Stride));
    m_scales.resize(kept);
    m_chunkIds.resize(kept);
    m_documentIds.resize(kept);
    return qsizetype(count - kept);
}

qsizetype VectorMatrix::removeDocuments(const QSet<qint64> &documentIds)
{
    if (documentIds.isEmpty())
        return 0;
    return removeRows([&](size_t r) { return documentIds.contains(m_documentIds[r]); });
}

qsizetype VectorMatrix::removeChunks(const QSet<qint64> &chunkIds)
{
    if (chunkIds.isEmpty())
        return 0;
    return removeRows([&](size_t r) { return chunkIds.contains(m_chunkIds[r]); });
}

void VectorMatrix::clear()
{
    m_floats.clear();
    m_int8.clear();
    m_scales.clear();
    m_chunkIds.clear();
    m_documentIds.clear();
    m_rowOfChunk.clear();
}

std::span<const float> VectorMatrix::row(qsizetype row) const
{
    return {m_floats.data() + row * m_floatStride, size_t(m_dimensions)};
}

qint64 VectorMatrix::memoryBytes() const
{
    return qint64(m_floats.capacity() * sizeof(float) + m_int8.capacity() * sizeof(qint8)
                  + m_scales.capacity() * sizeof(float) + m_chunkIds.capacity() * sizeof(qint64)
                  + m_documentIds.capacity() * sizeof(qint64)
                  // QHash: a key and a value per entry, about one more byte per bucket.
                  + qsizetype(m_rowOfChunk.capacity()) * qsizetype(sizeof(qint64) + sizeof(qsizetype) + 1));
}

bool VectorMatrix::normalise(std::span<const float> vector, std::span<float> out)
{
    double squares = 0;
    for (const float value : vector)
        squares += double(value) * double(value);
    const double length = std::sqrt(squares);
    if (!(length > 0) || !std::isfinite(length) || out.size() < vector.size())
        return false;
    for (size_t i = 0; i < vector.size(); ++i)
        out[i] = float(double(vector[i]) / length);
    std::fill(out.begin() + qsizetype(vector.size()), out.end(), 0.0f);
    return true;
}

float VectorMatrix::quantise(std::span<const float> vector, std::span<qint8> out)
{
    float largest = 0;
    for (const float value : vector)
        largest = std::max(largest, std::abs(value));
    if (largest == 0) {
        std::fill(out.begin(), out.end(), qint8(0));
        return 0;
    }
    const float scale = largest / 127.0f;
    for (size_t i = 0; i < vector.size() && i < out.size(); ++i)
        out[i] = qint8(std::clamp(std::lround(vector[i] / scale), -127L, 127L));
    return scale;
}

} // namespace ragdesk

#pragma once

#include <QHash>
#include <QSet>
#include <QtGlobal>

#include <span>
#include <vector>

namespace ragdesk {

/// The in-memory copy of one embedding model's vectors that the exact scan and the HNSW build
/// read. Rows are unit length, so a dot product is the cosine similarity. Each row is kept twice:
/// as float32 (exact scores) and as int8 with a per-row symmetric scale (a quarter of the memory
/// traffic for the fast first pass of VectorScan).
///
/// Threading: const members may run on any number of threads at once; a non-const member needs
/// exclusive access (the owner guards the matrix with a QReadWriteLock). Removal moves rows, so
/// row indices are valid only until the next write.
class VectorMatrix
{
public:
    explicit VectorMatrix(int dimensions);

    [[nodiscard]] int dimensions() const { return m_dimensions; }
    [[nodiscard]] qsizetype size() const { return qsizetype(m_chunkIds.size()); }
    [[nodiscard]] bool isEmpty() const { return m_chunkIds.empty(); }

    void reserve(qsizetype rows);
    /// Normalises @p vector and appends it. Returns false, and stores nothing, when its length is
    /// not dimensions() or it has no direction (zero, NaN or infinite). Chunk ids are expected to
    /// be unique; a re-embedded chunk is removed first.
    bool append(qint64 chunkId, qint64 documentId, std::span<const float> vector);
    /// Remove every row of these documents (or chunks); O(size()), keeps the order of the rest.
    /// Returns the number of rows removed.
    qsizetype removeDocuments(const QSet<qint64> &documentIds);
    qsizetype removeChunks(const QSet<qint64> &chunkIds);
    void clear();

    [[nodiscard]] qint64 chunkId(qsizetype row) const { return m_chunkIds[size_t(row)]; }
    [[nodiscard]] qint64 documentId(qsizetype row) const { return m_documentIds[size_t(row)]; }
    /// The row of @p chunkId, -1 when it has none. O(1): fusion asks it for the keyword hits
    /// outside the vector top k, and a walk over every row costs as much as a scan.
    [[nodiscard]] qsizetype rowOf(qint64 chunkId) const { return m_rowOfChunk.value(chunkId, -1); }
    /// The unit-length float32 row, dimensions() long.
    [[nodiscard]] std::span<const float> row(qsizetype row) const;

    /// Raw layout for the scan kernels: row r starts at r * stride, padded with zeros.
    [[nodiscard]] const float *floatData() const { return m_floats.data(); }
    [[nodiscard]] qsizetype floatStride() const { return m_floatStride; }
    [[nodiscard]] const qint8 *int8Data() const { return m_int8.data(); }
    [[nodiscard]] qsizetype int8Stride() const { return m_int8Stride; }
    /// int8 element * scale approximates the float element.
    [[nodiscard]] const float *int8Scales() const { return m_scales.data(); }

    /// Bytes held, capacity included: what this costs in RAM.
    [[nodiscard]] qint64 memoryBytes() const;

    /// Writes @p vector scaled to unit length (computed in double) into @p out; false if it has no
    /// direction. @p out may be longer than @p vector: the rest is zeroed.
    static bool normalise(std::span<const float> vector, std::span<float> out);
    /// Symmetric int8 quantisation: out = round(v / scale) in [-127, 127]; returns the scale.
    /// 127 rather than 128 keeps every product of two elements, and the sum of two, inside int16.
    static float quantise(std::span<const float> vector, std::span<qint8> out);

private:
    template<class Predicate>
    qsizetype removeRows(Predicate remove);

    int m_dimensions;
    qsizetype m_floatStride;
    qsizetype m_int8Stride;
    std::vector<float> m_floats;
    std::vector<qint8> m_int8;
    std::vector<float> m_scales;
    std::vector<qint64> m_chunkIds;
    std::vector<qint64> m_documentIds;
    QHash<qint64, qsizetype> m_rowOfChunk;
};

} // namespace ragdesk

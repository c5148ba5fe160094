#pragma once

// Embedding-like test data for the vector tests and the benchmark. Uniform random vectors in
// 384 dimensions are all nearly orthogonal, which no real embedding set is and which makes any
// ANN index look broken; real embeddings gather around topics. So: unit vectors scattered around
// a fixed number of random cluster centres, deterministic for a seed.

#include "core/retrieval/HitFusion.h"

#include <QList>

#include <cmath>
#include <random>
#include <span>
#include <vector>

namespace ragdesk::test {

/// The chunk ids of @p hits, in order.
inline QList<qint64> idsOf(const QList<StageHit> &hits)
{
    QList<qint64> ids;
    for (const StageHit &hit : hits)
        ids.append(hit.chunkId);
    return ids;
}

/// The share of @p truth that @p found contains (recall@k when both are top k lists).
inline double recall(const QList<qint64> &truth, const QList<qint64> &found)
{
    qsizetype shared = 0;
    for (const qint64 id : truth)
        shared += found.contains(id) ? 1 : 0;
    return truth.isEmpty() ? 1.0 : double(shared) / double(truth.size());
}

class SyntheticVectors
{
public:
    /// @p spread is the expected length of the gaussian noise added to a unit-length centre:
    /// 1.0 puts a point at a cosine of about 0.7 from its centre.
    SyntheticVectors(int dimensions, int clusters, double spread, unsigned seed)
        : m_dimensions(dimensions)
        , m_random(seed)
        , m_noise(0.0f, float(spread / std::sqrt(double(dimensions))))
    {
        std::normal_distribution<float> unit(0.0f, 1.0f);
        m_centres.resize(size_t(clusters), std::vector<float>(size_t(dimensions)));
        for (std::vector<float> &centre : m_centres) {
            double squares = 0;
            for (float &value : centre) {
                value = unit(m_random);
                squares += double(value) * value;
            }
            for (float &value : centre)
                value = float(value / std::sqrt(squares));
        }
    }

    /// A point around a random centre (not normalised: the code under test does that).
    void fill(std::span<float> out)
    {
        std::uniform_int_distribution<size_t> pick(0, m_centres.size() - 1);
        const std::vector<float> &centre = m_centres[pick(m_random)];
        for (size_t i = 0; i < out.size(); ++i)
            out[i] = centre[i] + m_noise(m_random);
    }

    std::vector<float> next()
    {
        std::vector<float> vector(static_cast<size_t>(m_dimensions));
        fill(vector);
        return vector;
    }

    /// Uniform noise on the sphere, for tests that want no structure at all.
    std::vector<float> nextUniform()
    {
        std::normal_distribution<float> unit(0.0f, 1.0f);
        std::vector<float> vector(static_cast<size_t>(m_dimensions));
        for (float &value : vector)
            value = unit(m_random);
        return vector;
    }

private:
    int m_dimensions;
    std::mt19937 m_random;
    std::normal_distribution<float> m_noise;
    std::vector<std::vector<float>> m_centres;
};

} // namespace ragdesk::test

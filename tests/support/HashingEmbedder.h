#pragma once

#include <QList>
#include <QStringList>
#include <QStringView>

namespace ragdesk::testing {

/// A deterministic stand-in for an embedding model, for the fake server, retrieval tests and the
/// offline eval: words (lower-cased, English stop words dropped, a few suffixes stripped) and their character
/// trigrams are hashed with a sign into `dimensions` buckets, and the vector is L2-normalised.
/// Texts that share words get a high cosine similarity, unrelated texts one near zero. The hash
/// is our own FNV-1a, so vectors are identical across runs, machines and Qt versions.
class HashingEmbedder
{
public:
    static constexpr int kDefaultDimensions = 384;

    /// The normalised vector of @p text; all zeros for a text without letters or digits.
    [[nodiscard]] static QList<float> embed(QStringView text, int dimensions = kDefaultDimensions);
    /// Cosine similarity of two vectors of the same size (0 if either is all zeros).
    [[nodiscard]] static double cosine(const QList<float> &a, const QList<float> &b);
    /// The normalised words the vector is built from ("The running dogs" -> "run", "dog").
    [[nodiscard]] static QStringList terms(QStringView text);
};

} // namespace ragdesk::testing

#pragma once

#include <QByteArrayView>
#include <QList>
#include <QString>

namespace ragdesk::testing {

/// The wire parsers promise identical output however the network cuts the bytes. This feeds
/// @p check every cut the tests use: one byte at a time, two pieces at every offset and, with
/// @p threePieces, three pieces at every pair of offsets (state that must survive two feed
/// boundaries, such as a CR at the end of one piece). @p check returns true when the output of
/// those pieces is right. Returns a description of the first cut it rejected, or an empty string.
template<typename Check>
QString firstFailingSplit(QByteArrayView bytes, bool threePieces, Check check)
{
    const qsizetype n = bytes.size();
    QList<QByteArrayView> single;
    for (qsizetype i = 0; i < n; ++i)
        single.append(bytes.sliced(i, 1));
    if (!check(single))
        return QStringLiteral("fed byte by byte");
    for (qsizetype a = 0; a <= n; ++a) {
        if (!check(QList<QByteArrayView>{bytes.first(a), bytes.sliced(a)}))
            return QStringLiteral("split at %1").arg(a);
        if (!threePieces)
            continue;
        for (qsizetype b = a; b <= n; ++b) {
            if (!check(QList<QByteArrayView>{bytes.first(a), bytes.sliced(a, b - a), bytes.sliced(b)}))
                return QStringLiteral("split at %1 and %2").arg(a).arg(b);
        }
    }
    return {};
}

} // namespace ragdesk::testing

#pragma once

#include <QByteArray>
#include <QString>

namespace ragdesk {

/// Turns the bytes of a text file into a QString: BOM first, then uchardet's guess, then
/// UTF-8 or Latin-1. Never fails: bytes invalid in the chosen charset become U+FFFD.
class CharsetDecoder
{
public:
    struct Decoded {
        QString text;
        QString charset; ///< e.g. "UTF-8", "UTF-16LE", "SHIFT_JIS", "WINDOWS-1252"
    };

    static Decoded decode(const QByteArray &bytes);

    /// The charset the BOM names, or uchardet's guess, normalised to upper case; never empty.
    static QString detect(const QByteArray &bytes);
};

} // namespace ragdesk

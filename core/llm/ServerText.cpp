#include "core/llm/ServerText.h"

using namespace Qt::StringLiterals;

namespace ragdesk::ServerText {

QString forDisplay(const QString &text)
{
    if (text.size() <= kMaxShownChars)
        return text;
    qsizetype cut = kMaxShownChars;
    if (text.at(cut - 1).isHighSurrogate())
        --cut; // never leave half an emoji behind
    return text.first(cut) + u"…"_s;
}

QString forDetail(QByteArrayView raw)
{
    if (raw.size() <= kMaxRawBytes)
        return QString::fromUtf8(raw);
    qsizetype cut = kMaxRawBytes;
    while (cut > 0 && (static_cast<unsigned char>(raw[cut]) & 0xC0) == 0x80)
        --cut; // raw[cut] continues a multibyte sequence: cut before its lead byte
    return QString::fromUtf8(raw.first(cut)) + u"…"_s;
}

} // namespace ragdesk::ServerText

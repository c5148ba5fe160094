#include "core/ingest/TokenEstimator.h"

#include <QChar>

namespace ragdesk {

namespace {
/// CJK by block rather than by script property: these are the scripts written without spaces,
/// where every character is a break opportunity and costs about one token.
constexpr bool isCjkBlock(char32_t c)
{
    return (c >= 0x2E80 && c <= 0x2FFF)       // radicals, Kangxi, ideographic description
        || (c >= 0x3000 && c <= 0x4DBF)       // CJK punctuation, kana, bopomofo, compat jamo, ext. A
        || (c >= 0x4E00 && c <= 0x9FFF)       // unified ideographs
        || (c >= 0xAC00 && c <= 0xD7A3)       // hangul syllables
        || (c >= 0xF900 && c <= 0xFAFF)       // compatibility ideographs
        || (c >= 0xFE30 && c <= 0xFE4F)       // CJK compatibility forms
        || (c >= 0xFF00 && c <= 0xFF9D)       // full-width forms, half-width katakana (not its voice marks)
        || (c >= 0x1B000 && c <= 0x1B16F)     // kana supplement and extensions
        || (c >= 0x20000 && c <= 0x3FFFF);    // ideographs outside the BMP (surrogate pairs in UTF-16)
}
} // namespace

TokenEstimator::CharClass TokenEstimator::classifyNonAscii(char32_t codePoint)
{
    if (QChar::isSpace(codePoint))
        return CharClass::Space;
    switch (QChar::category(codePoint)) {
    case QChar::Mark_NonSpacing:
    case QChar::Mark_SpacingCombining:
    case QChar::Mark_Enclosing:
    case QChar::Other_Format: // ZWJ, soft hyphen: they sit inside words
        return CharClass::Word;
    default:
        break;
    }
    if (isCjkBlock(codePoint))
        return CharClass::Cjk;
    return QChar::isLetterOrNumber(codePoint) ? CharClass::Word : CharClass::Other;
}

int TokenEstimator::estimate(QStringView text)
{
    TokenEstimator counter;
    const qsizetype size = text.size();
    const QChar *data = text.data();
    for (qsizetype i = 0; i < size; ++i) {
        char32_t c = data[i].unicode();
        if (QChar::isHighSurrogate(c) && i + 1 < size && data[i + 1].isLowSurrogate()) {
            c = QChar::surrogateToUcs4(data[i].unicode(), data[i + 1].unicode());
            ++i;
        }
        counter.add(classify(c));
    }
    return counter.total();
}

} // namespace ragdesk

#include "core/ingest/extractors/CharsetDecoder.h"

#include <QStringDecoder>

#include <uchardet.h>

#include <memory>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {

// uchardet settles within a few kilobytes; feeding it a 50 MB log would only cost time.
constexpr qsizetype DetectionSampleBytes = 256 * 1024;

QString charsetFromBom(const QByteArray &bytes)
{
    if (bytes.startsWith("\xEF\xBB\xBF"))
        return u"UTF-8"_s;
    if (bytes.startsWith(QByteArrayView("\xFF\xFE\x00\x00", 4)))
        return u"UTF-32LE"_s;
    if (bytes.startsWith(QByteArrayView("\x00\x00\xFE\xFF", 4)))
        return u"UTF-32BE"_s;
    if (bytes.startsWith("\xFF\xFE"))
        return u"UTF-16LE"_s;
    if (bytes.startsWith("\xFE\xFF"))
        return u"UTF-16BE"_s;
    return {};
}

QString guessWithUchardet(const QByteArray &bytes)
{
    const std::unique_ptr<std::remove_pointer_t<uchardet_t>, decltype(&uchardet_delete)> detector(uchardet_new(),
                                                                                                  &uchardet_delete);
    if (!detector)
        return {};
    const QByteArrayView sample = QByteArrayView(bytes).first(qMin(bytes.size(), DetectionSampleBytes));
    if (uchardet_handle_data(detector.get(), sample.data(), size_t(sample.size())) != 0)
        return {};
    uchardet_data_end(detector.get());
    return QString::fromLatin1(uchardet_get_charset(detector.get())).toUpper();
}

/// Mostly-valid UTF-8 with a few broken sequences (a cut download, one bad paste) is still
/// UTF-8; uchardet would call it a single-byte charset and garble every accent.
bool isMostlyUtf8(QByteArrayView sample)
{
    const QString decoded = QStringDecoder(QStringDecoder::Utf8).decode(sample);
    qsizetype nonAscii = 0;
    qsizetype invalid = 0;
    for (const QChar c : decoded) {
        if (c == QChar::ReplacementCharacter)
            ++invalid;
        else if (c.unicode() > 0x7F)
            ++nonAscii;
    }
    return nonAscii > 0 && invalid * 20 < nonAscii;
}

} // namespace

QString CharsetDecoder::detect(const QByteArray &bytes)
{
    if (QString bom = charsetFromBom(bytes); !bom.isEmpty())
        return bom;
    const QByteArrayView sample = QByteArrayView(bytes).first(qMin(bytes.size(), DetectionSampleBytes));
    if (QUtf8StringView(sample).isValidUtf8() || isMostlyUtf8(sample))
        return u"UTF-8"_s;
    const QString guess = guessWithUchardet(bytes);
    return guess.isEmpty() || guess == u"ASCII"_s ? u"WINDOWS-1252"_s : guess;
}

CharsetDecoder::Decoded CharsetDecoder::decode(const QByteArray &bytes)
{
    QString charset = detect(bytes);
    QStringDecoder decoder(charset);
    if (!decoder.isValid()) {
        // A name ICU does not know: Latin-1 maps every byte, so the text stays searchable.
        charset = u"ISO-8859-1"_s;
        decoder = QStringDecoder(QStringDecoder::Latin1);
    }
    // Default flags: invalid bytes become U+FFFD and a leading BOM is skipped.
    QString text = decoder.decode(bytes);
    return {std::move(text), std::move(charset)};
}

} // namespace ragdesk

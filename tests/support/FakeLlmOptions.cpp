#include "tests/support/FakeLlmOptions.h"

#include <QDateTime>
#include <QLocale>
#include <QRegularExpression>

#include <array>

using namespace Qt::StringLiterals;

namespace ragdesk::testing {

namespace {

// Mostly ASCII, with accents, CJK and an emoji (a UTF-16 surrogate pair) mixed in, so every
// default answer exercises multi-byte UTF-8 in the client's decoding.
constexpr std::array kVocabulary = {
    u"lorem", u"ipsum", u"café", u"dolor", u"日本", u"sit", u"amet", u"naïve",
    u"consectetur", u"über", u"😀", u"elit",
};

} // namespace

QStringList FakeLlmOptions::tokenTexts() const
{
    QStringList out;
    if (!reply.isEmpty()) {
        // A token is a word plus the whitespace after it; leading whitespace joins the first one.
        static const QRegularExpression word(u"\\S+\\s*"_s);
        for (auto it = word.globalMatch(reply); it.hasNext();) {
            const QRegularExpressionMatch match = it.next();
            QString token = match.captured();
            if (out.isEmpty())
                token.prepend(reply.left(match.capturedStart()));
            out.append(token);
        }
        if (out.isEmpty())
            out.append(reply); // all whitespace: still one token, the client must show it verbatim
        return out;
    }

    const int count = std::max(1, tokens);
    out.reserve(count);
    for (int i = 0; i < count; ++i) {
        QString token = QStringView(kVocabulary[static_cast<size_t>(i) % kVocabulary.size()]).toString();
        token += i + 1 == count ? u'.' : u' ';
        out.append(token);
    }
    return out;
}

QString FakeLlmOptions::replyText() const
{
    return tokenTexts().join(QString());
}

QStringList FakeLlmOptions::reasoningTexts() const
{
    if (!reasoning)
        return {};
    return {u"The "_s, u"user "_s, u"wants "_s, u"a "_s, u"fake "_s, u"answer. "_s};
}

QByteArray FakeLlmOptions::retryAfterHeader() const
{
    if (!retryAfterHttpDate)
        return "Retry-After: " + QByteArray::number(retryAfterSeconds) + "\r\n";
    // IMF-fixdate (RFC 9110): English names whatever the test machine's locale.
    const QDateTime at = QDateTime::currentDateTimeUtc().addSecs(retryAfterSeconds);
    return "Retry-After: " + QLocale::c().toString(at, u"ddd, dd MMM yyyy hh:mm:ss 'GMT'"_s).toLatin1() + "\r\n";
}

std::optional<FakeLlmOptions::Failure> FakeLlmOptions::failureFromName(QStringView name)
{
    if (name == u"none")
        return Failure::None;
    if (name == u"401")
        return Failure::Http401;
    if (name == u"429")
        return Failure::Http429;
    if (name == u"500")
        return Failure::Http500;
    if (name == u"cut")
        return Failure::CutMidStream;
    if (name == u"stall")
        return Failure::StallMidStream;
    if (name == u"stream-error")
        return Failure::ErrorInStream;
    if (name == u"404")
        return Failure::Http404;
    if (name == u"503")
        return Failure::Http503;
    if (name == u"context")
        return Failure::ContextLength;
    if (name == u"drip")
        return Failure::KeepAliveDrip;
    if (name == u"slow")
        return Failure::SlowFirstByte;
    return std::nullopt;
}

std::optional<FakeLlmOptions::VectorFailure> FakeLlmOptions::vectorFailureFromName(QStringView name)
{
    if (name == u"none")
        return VectorFailure::None;
    if (name == u"503")
        return VectorFailure::Http503;
    if (name == u"429")
        return VectorFailure::Http429;
    if (name == u"malformed")
        return VectorFailure::MalformedJson;
    if (name == u"wrong-count")
        return VectorFailure::WrongCount;
    if (name == u"non-numeric")
        return VectorFailure::NonNumeric;
    if (name == u"mixed-dims")
        return VectorFailure::MixedDimensions;
    if (name == u"cut")
        return VectorFailure::CutConnection;
    return std::nullopt;
}

} // namespace ragdesk::testing

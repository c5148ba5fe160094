#pragma once

#include <QByteArrayView>
#include <QString>

namespace ragdesk {

/// Server text that reaches a person or a log is capped, so a runaway error body or stream event
/// cannot flood the chat view or the log. Shared by every wire decoder.
namespace ServerText {

constexpr qsizetype kMaxShownChars = 300;
constexpr qsizetype kMaxRawBytes = 300;

/// @p text capped for display, never leaving half a surrogate pair (an emoji) behind.
QString forDisplay(const QString &text);

/// Raw bytes for Error::detail, capped at a UTF-8 character boundary.
QString forDetail(QByteArrayView raw);

} // namespace ServerText

} // namespace ragdesk

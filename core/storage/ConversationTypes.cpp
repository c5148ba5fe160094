#include "core/storage/ConversationTypes.h"

using namespace Qt::StringLiterals;

namespace ragdesk {

QString messageStatusName(MessageStatus status)
{
    // These strings are stored in profile.db (see the CHECK in ProfileSchema): never rename one.
    switch (status) {
    case MessageStatus::Streaming:
        return u"streaming"_s;
    case MessageStatus::Done:
        return u"done"_s;
    case MessageStatus::Stopped:
        return u"stopped"_s;
    case MessageStatus::Error:
        return u"error"_s;
    case MessageStatus::Interrupted:
        return u"interrupted"_s;
    }
    Q_UNREACHABLE_RETURN(u"error"_s);
}

MessageStatus messageStatusFromString(const QString &text)
{
    if (text == u"streaming")
        return MessageStatus::Streaming;
    if (text == u"done")
        return MessageStatus::Done;
    if (text == u"stopped")
        return MessageStatus::Stopped;
    if (text == u"interrupted")
        return MessageStatus::Interrupted;
    // The schema's CHECK allows nothing else, so only "error" reaches here; an unknown value
    // is shown as an error rather than as a finished answer.
    return MessageStatus::Error;
}

} // namespace ragdesk

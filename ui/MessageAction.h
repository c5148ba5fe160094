#pragma once

#include <QMetaType>

namespace ragdesk {

/// What the user asked for in a message's action row; MessageView emits it, ChatTab acts.
enum class MessageAction {
    CopyMarkdown, ///< assistant: the answer as written; user: the question
    CopyText,     ///< the answer as rendered plain text
    Regenerate,
    Edit,
    Delete,
    Inspect,      ///< the retrieval inspector for this answer
};

} // namespace ragdesk

Q_DECLARE_METATYPE(ragdesk::MessageAction)

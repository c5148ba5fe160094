#include "ui/markdown/InertTextDocument.h"

namespace ragdesk {

QVariant InertTextDocument::loadResource(int type, const QUrl &name)
{
    Q_UNUSED(type);
    Q_UNUSED(name);
    // Deliberately not QTextDocument::loadResource: that would ask the parent widget or the file system.
    ++m_resourceRequests;
    return {};
}

} // namespace ragdesk

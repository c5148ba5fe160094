#pragma once

#include <QTextDocument>

namespace ragdesk {

/// A QTextDocument that never loads a resource: images, style sheets and anything else a
/// document could ask for resolve to nothing, so rendered text cannot make a request.
/// It counts the asks, so tests can prove none got through (and that the renderer made none).
class InertTextDocument : public QTextDocument
{
    Q_OBJECT
public:
    using QTextDocument::QTextDocument;

    [[nodiscard]] int resourceRequests() const { return m_resourceRequests; }

protected:
    QVariant loadResource(int type, const QUrl &name) override;

private:
    int m_resourceRequests = 0;
};

} // namespace ragdesk

#pragma once

#include "core/storage/Citation.h"
#include "ui/SearchFunction.h"

#include <QPointer>

class QWidget;

namespace ragdesk {

class PassagePreviewDialog;

/// "Open document" of a citation: a PDF opens at its page in the user's viewer when one on PATH
/// takes a page (okular, evince, zathura); everything else, and a viewer that fails, opens the
/// built-in preview with the cited passage selected, which can still hand the file to the
/// desktop's default application.
class SourceDocumentOpener
{
public:
    /// @p documentText loads a document's extracted text for the preview; without it the
    /// preview shows the cited chunk alone. Dialogs are children of @p parent.
    SourceDocumentOpener(DocumentTextFunction documentText, QWidget *parent);

    /// Returns the preview when one was opened, null when an external viewer took the file.
    PassagePreviewDialog *open(const CitationSnapshot &source);

    /// The preview for @p source, never an external viewer.
    PassagePreviewDialog *preview(const CitationSnapshot &source);

private:
    DocumentTextFunction m_documentText;
    QPointer<QWidget> m_parent;
};

} // namespace ragdesk

#include "ui/SourceDocumentOpener.h"

#include "ui/FileViewerLauncher.h"
#include "ui/PassagePreviewDialog.h"

#include <QMessageBox>

namespace ragdesk {

namespace {
RetrievalHit hitFor(const CitationSnapshot &source)
{
    RetrievalHit hit;
    hit.chunkId = source.chunkId;
    hit.documentId = source.documentId;
    hit.documentTitle = source.documentTitle;
    hit.documentPath = source.documentPath;
    hit.headingPath = source.headingPath;
    hit.page = source.page;
    hit.startOffset = source.startOffset;
    hit.endOffset = source.endOffset;
    hit.text = source.chunkText;
    return hit;
}
} // namespace

SourceDocumentOpener::SourceDocumentOpener(DocumentTextFunction documentText, QWidget *parent)
    : m_documentText(std::move(documentText))
    , m_parent(parent)
{
}

PassagePreviewDialog *SourceDocumentOpener::open(const CitationSnapshot &source)
{
    const FileViewerLauncher launcher;
    if (source.page > 0 && launcher.pageCommand(source.documentPath, source.page)
        && launcher.open(source.documentPath, source.page).isEmpty())
        return nullptr;
    return preview(source);
}

PassagePreviewDialog *SourceDocumentOpener::preview(const CitationSnapshot &source)
{
    if (!m_parent)
        return nullptr;
    auto *dialog = new PassagePreviewDialog(m_documentText, hitFor(source), m_parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(dialog, &PassagePreviewDialog::openFileRequested, dialog, [dialog](const RetrievalHit &hit) {
        if (const QString error = FileViewerLauncher().open(hit.documentPath, hit.page); !error.isEmpty()) {
            auto *box = new QMessageBox(QMessageBox::Warning, PassagePreviewDialog::tr("Could not open the file"),
                                        error, QMessageBox::Ok, dialog);
            box->setAttribute(Qt::WA_DeleteOnClose);
            box->open();
        }
    });
    dialog->show();
    return dialog;
}

} // namespace ragdesk

#pragma once

#include "ui/markdown/InertTextDocument.h"
#include "ui/markdown/RenderStyle.h"

#include <QString>

class QTextCursor;

namespace ragdesk {

/// Renders one top-level markdown block (never a fenced code block; see CodeBlockWriter) into a
/// document, safely: Qt's GitHub-dialect importer without HTML, so raw HTML stays text; images
/// become a link "image: URL" that is never loaded; every link shows its target and is wrapped
/// into a ViewAnchor link (opened only through LinkGuard); citation markers become chips.
class MarkdownRenderer
{
public:
    /// An inferred citation (CitationAligner) is passed in the markdown as
    /// kInferredOpen + "1,2" + kInferredClose; the renderer turns it into an inferred chip.
    static constexpr QChar kInferredOpen = QChar(0xE000);
    static constexpr QChar kInferredClose = QChar(0xE001);
    /// Deep nesting is clamped, so 500 nested lists cannot push text off the page.
    static constexpr int kMaxIndent = 8;

    void setStyle(const RenderStyle &style) { m_style = style; }

    /// Inserts @p markdown at @p cursor. Citation chips link to sources 1..@p sourceCount of
    /// message @p message; with @p partial a marker still being written is left as text.
    void insert(QTextCursor &cursor, const QString &markdown, int message, int sourceCount, bool partial);

    /// Resource requests the scratch document saw (must stay 0: nothing is loaded).
    [[nodiscard]] int resourceRequests() const { return m_scratch.resourceRequests(); }

private:
    struct Edit;
    void collectFragmentEdits(QList<Edit> &edits);
    void collectCitationEdits(QList<Edit> &edits, int sourceCount, bool partial);
    void clampIndents();

    RenderStyle m_style;
    InertTextDocument m_scratch;
};

} // namespace ragdesk

#pragma once

#include <KSyntaxHighlighting/AbstractHighlighter>
#include <KSyntaxHighlighting/State>

#include <QHash>
#include <QList>
#include <QTextCharFormat>

namespace KSyntaxHighlighting {
class Repository;
}

namespace ragdesk {

/// Colours the code of one fenced block with KSyntaxHighlighting, a line at a time: the caller
/// keeps the State after each finished line, so a growing block re-highlights only its last line.
class CodeHighlighter : public KSyntaxHighlighting::AbstractHighlighter
{
public:
    /// A coloured range of one line.
    struct Span {
        int start = 0;
        int length = 0;
        QTextCharFormat format;
    };

    /// @p repository is the app's one Repository; it must outlive the highlighter.
    CodeHighlighter(const KSyntaxHighlighting::Repository &repository, const QString &language,
        const KSyntaxHighlighting::Theme &theme);

    /// The definition's name ("Python"), or empty when the language is unknown (plain code).
    [[nodiscard]] QString languageName() const;

    /// Highlights @p line (without its '\n') from @p state; returns the state after it.
    KSyntaxHighlighting::State highlight(QStringView line, const KSyntaxHighlighting::State &state,
        QList<Span> &spans);

protected:
    void applyFormat(int offset, int length, const KSyntaxHighlighting::Format &format) override;

private:
    QTextCharFormat charFormat(const KSyntaxHighlighting::Format &format);

    QList<Span> *m_spans = nullptr;
    QHash<int, QTextCharFormat> m_formats; ///< by Format::id(), so a line allocates no formats
};

} // namespace ragdesk

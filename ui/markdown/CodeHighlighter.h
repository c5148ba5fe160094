#pragma once

#include <KSyntaxHighlighting/AbstractHighlighter>
#include <KSyntaxHighlighting/Definition>
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

    /// The definition for a fence's language tag ("py", "c++", "Python"...); invalid if unknown.
    /// Looking one up can scan every definition: callers keep what they found.
    static KSyntaxHighlighting::Definition definitionFor(
        const KSyntaxHighlighting::Repository &repository, const QString &tag);

    /// @p definition comes from the app's one Repository, which must outlive the highlighter.
    CodeHighlighter(const KSyntaxHighlighting::Definition &definition, const KSyntaxHighlighting::Theme &theme);

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

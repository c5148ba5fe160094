#include "ui/MessageChrome.h"

#include "core/chat/CitationParser.h"
#include "ui/MessageAction.h"
#include "ui/markdown/ViewAnchor.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QTextCursor>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ragdesk::MessageChrome", text);
}

void insertControl(QTextCursor &cursor, const RenderStyle &style, const QString &text, const QString &href)
{
    QTextCharFormat format = style.control;
    format.setAnchorHref(href);
    cursor.insertText(text, format);
}

void insertSeparator(QTextCursor &cursor, const RenderStyle &style)
{
    QTextCharFormat plain = style.note;
    plain.setFontItalic(false);
    cursor.insertText(u"  ·  "_s, plain);
}

QString milliseconds(double ms)
{
    return ms < 10 ? QString::number(ms, 'f', 1) : QString::number(qRound(ms));
}

} // namespace

QString MessageChrome::metricsLine(const QJsonObject &metrics)
{
    QStringList parts;
    if (metrics.contains("ttft_ms"_L1))
        parts.append(tr("TTFT %1 ms").arg(milliseconds(metrics.value("ttft_ms"_L1).toDouble())));
    if (metrics.contains("tokens_per_s"_L1))
        parts.append(tr("%1 tok/s").arg(qRound(metrics.value("tokens_per_s"_L1).toDouble())));
    if (metrics.contains("retrieval_ms"_L1))
        parts.append(tr("retrieval %1 ms").arg(milliseconds(metrics.value("retrieval_ms"_L1).toDouble())));
    return parts.join(u" · "_s);
}

QList<int> MessageChrome::citedSources(const MessageRecord &message)
{
    if (message.citations.isEmpty())
        return CitationParser::parse(message.content, int(message.sources.size())).cited;
    QList<int> cited;
    for (const CitationMarker &marker : message.citations) {
        for (int number : marker.sources) {
            if (!cited.contains(number))
                cited.append(number);
        }
    }
    return cited;
}

const CitationSnapshot *MessageChrome::source(const MessageRecord &message, int number)
{
    for (const CitationSnapshot &snapshot : message.sources) {
        if (snapshot.number == number)
            return &snapshot;
    }
    return nullptr;
}

int MessageChrome::wordCount(QStringView text)
{
    int words = 0;
    bool inWord = false;
    for (QChar c : text) {
        const bool space = c.isSpace();
        if (!space && !inWord)
            ++words;
        inWord = !space;
    }
    return words;
}

void MessageChrome::writeHeader(
    QTextCursor &cursor, const RenderStyle &style, const MessageRecord &message, const QString &assistantLabel)
{
    const bool isUser = message.role == u"user"_s;
    const QTextCharFormat &format = isUser ? style.userHeader : style.assistantHeader;
    cursor.insertBlock(style.plainBlock, format);
    cursor.insertText(isUser ? tr("You") : assistantLabel, format);
}

void MessageChrome::writeReasoning(
    QTextCursor &cursor, const RenderStyle &style, const MessageRecord &message, int index, bool open)
{
    if (message.reasoning.isEmpty())
        return;
    cursor.insertBlock(style.plainBlock, style.control);
    const int words = wordCount(message.reasoning);
    const QString label = (open ? u"▾ "_s : u"▸ "_s) + (words == 1 ? tr("Reasoning (1 word)") : tr("Reasoning (%1 words)").arg(words));
    insertControl(cursor, style, label, ViewAnchor::href(ViewAnchor::Kind::Reasoning, index));
    if (!open)
        return;
    // Plain text: reasoning is a scratchpad, kept apart from (and quieter than) the answer.
    const QStringList lines = message.reasoning.trimmed().split(u'\n');
    for (const QString &line : lines) {
        cursor.insertBlock(style.plainBlock, style.reasoning);
        cursor.insertText(line, style.reasoning);
    }
}

void MessageChrome::writeFooter(QTextCursor &cursor, const RenderStyle &style, const MessageRecord &message,
    int index, MessageVersions versions, bool allSources)
{
    writeStatus(cursor, style, message);
    if (message.role != u"user"_s) {
        const QString metrics = metricsLine(message.metrics);
        if (!metrics.isEmpty()) {
            cursor.insertBlock(style.plainBlock, style.note);
            QTextCharFormat quiet = style.note;
            quiet.setFontItalic(false);
            cursor.insertText(metrics, quiet);
        }
        writeSources(cursor, style, message, index, allSources);
    }
    writeActions(cursor, style, message, index, versions);
}

void MessageChrome::writeStatus(QTextCursor &cursor, const RenderStyle &style, const MessageRecord &message)
{
    QString note;
    QTextCharFormat format = style.note;
    switch (message.status) {
    case MessageStatus::Stopped:
        note = tr("Stopped");
        break;
    case MessageStatus::Interrupted:
        note = tr("Interrupted — ragdesk closed before this answer finished");
        break;
    case MessageStatus::Error:
        note = message.errorText.isEmpty() ? tr("Failed") : tr("Failed: %1").arg(message.errorText);
        format = style.error;
        break;
    case MessageStatus::Done:
        if (message.role == u"user"_s || !message.content.isEmpty() || !message.reasoning.isEmpty())
            return;
        note = tr("The model returned an empty answer.");
        break;
    case MessageStatus::Streaming:
        return;
    }
    cursor.insertBlock(style.plainBlock, format);
    cursor.insertText(note, format);
}

void MessageChrome::writeSources(
    QTextCursor &cursor, const RenderStyle &style, const MessageRecord &message, int index, bool allSources)
{
    if (message.sources.isEmpty())
        return;
    const QList<int> cited = citedSources(message);
    QList<int> shown;
    for (const CitationSnapshot &snapshot : message.sources) {
        if (allSources || cited.contains(snapshot.number))
            shown.append(snapshot.number);
    }
    if (!allSources) {
        // In order of first citation, like a reader meets them.
        shown = cited;
        shown.removeIf([&](int number) { return source(message, number) == nullptr; });
    }
    cursor.insertBlock(style.plainBlock, style.note);
    QTextCharFormat heading = style.note;
    heading.setFontItalic(false);
    heading.setFontWeight(QFont::DemiBold);
    cursor.insertText(allSources ? tr("Retrieved sources") : tr("Sources"), heading);
    if (shown.isEmpty()) {
        cursor.insertText(u"  "_s + tr("none cited"), style.note);
    }
    for (int number : std::as_const(shown)) {
        const CitationSnapshot *snapshot = source(message, number);
        cursor.insertBlock(style.plainBlock, style.control);
        QString label = u"[%1] %2"_s.arg(number).arg(
            snapshot->documentTitle.isEmpty() ? snapshot->documentPath : snapshot->documentTitle);
        if (snapshot->page > 0)
            label += tr(", p. %1").arg(snapshot->page);
        QTextCharFormat link = style.link;
        link.setFontUnderline(false);
        link.setFontPointSize(style.control.fontPointSize());
        link.setAnchorHref(ViewAnchor::href(ViewAnchor::Kind::Source, index, number));
        cursor.insertText(label, link);
    }
    const bool someUncited = message.sources.size() > shown.size() || allSources;
    if (someUncited) {
        cursor.insertBlock(style.plainBlock, style.control);
        insertControl(cursor, style,
            allSources ? tr("Show cited only") : tr("Show all %1 retrieved").arg(message.sources.size()),
            ViewAnchor::href(ViewAnchor::Kind::SourcesToggle, index));
    }
}

void MessageChrome::writeActions(QTextCursor &cursor, const RenderStyle &style, const MessageRecord &message,
    int index, MessageVersions versions)
{
    cursor.insertBlock(style.plainBlock, style.control);
    QList<std::pair<QString, MessageAction>> actions;
    if (message.role == u"user"_s) {
        actions = { { tr("Copy"), MessageAction::CopyMarkdown }, { tr("Edit"), MessageAction::Edit },
            { tr("Delete"), MessageAction::Delete } };
    } else {
        actions = { { tr("Copy (Markdown)"), MessageAction::CopyMarkdown }, { tr("Copy text"), MessageAction::CopyText },
            { tr("Regenerate"), MessageAction::Regenerate }, { tr("Delete"), MessageAction::Delete },
            { tr("Inspect"), MessageAction::Inspect } };
    }
    for (qsizetype i = 0; i < actions.size(); ++i) {
        if (i > 0)
            insertSeparator(cursor, style);
        insertControl(cursor, style, actions.at(i).first,
            ViewAnchor::href(ViewAnchor::Kind::Action, index, int(actions.at(i).second)));
    }
    if (versions.count <= 1)
        return;
    insertSeparator(cursor, style);
    QTextCharFormat dim = style.control;
    dim.setAnchor(false);
    dim.setForeground(style.note.foreground());
    const auto arrow = [&](const QString &text, int version) {
        if (version < 1 || version > versions.count)
            cursor.insertText(text, dim);
        else
            insertControl(cursor, style, text, ViewAnchor::href(ViewAnchor::Kind::Version, index, version));
    };
    arrow(u"‹"_s, versions.current - 1);
    cursor.insertText(u" %1/%2 "_s.arg(versions.current).arg(versions.count), dim);
    arrow(u"›"_s, versions.current + 1);
}

} // namespace ragdesk

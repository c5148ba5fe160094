#include "core/ingest/Chunker.h"

#include "core/ingest/SegmentSplitter.h"
#include "core/ingest/TokenEstimator.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
/// A non-empty block placed in the document text.
struct PlacedBlock {
    const TextBlock *block = nullptr;
    qsizetype start = 0;
};

bool isBlank(const QString &text)
{
    return std::all_of(text.cbegin(), text.cend(), [](QChar c) { return c.isSpace(); });
}

bool isTable(const TextBlock &block)
{
    return block.kind == TextBlock::Kind::TableRow;
}

/// A run of blocks between two hard boundaries. A heading right after a heading stays in the
/// section, so "# Title" followed by "## Install" makes one chunk with its body instead of a chunk
/// holding nothing but a title.
bool continuesSection(const TextBlock &previous, const TextBlock &block)
{
    const bool heading = block.kind == TextBlock::Kind::Heading;
    return (!heading || previous.kind == TextBlock::Kind::Heading) && block.page == previous.page
        && isTable(block) == isTable(previous) && (!isTable(block) || block.header == previous.header);
}

/// The heading stack as a " › " path.
class HeadingPath
{
public:
    void enter(const TextBlock &heading)
    {
        const int level = std::max(1, heading.level);
        while (!m_open.isEmpty() && m_open.constLast().level >= level)
            m_open.removeLast();
        m_open.append({level, heading.text.simplified()});
        m_path.clear();
        for (const Open &open : std::as_const(m_open)) {
            if (!m_path.isEmpty())
                m_path += u" \u203A "_s;
            m_path += open.title;
        }
    }
    [[nodiscard]] const QString &path() const { return m_path; }

private:
    struct Open {
        int level = 0;
        QString title;
    };
    QList<Open> m_open;
    QString m_path;
};

class DocumentChunker
{
public:
    DocumentChunker(const ChunkingOptions &options, const CancelToken *cancel)
        : m_budget(std::max(1, options.targetTokens))
        , m_overlap(std::max(0, options.overlapTokens))
        , m_cancel(cancel)
    {
    }

    Result<ChunkedDocument> run(const ExtractedDocument &document)
    {
        place(document);
        HeadingPath headings;
        qsizetype first = 0;
        while (first < m_placed.size()) {
            qsizetype last = first + 1;
            while (last < m_placed.size() && continuesSection(*m_placed[last - 1].block, *m_placed[last].block))
                ++last;
            // Only a section's leading blocks can be headings; its chunks take the deepest path.
            for (qsizetype i = first; i < last && m_placed[i].block->kind == TextBlock::Kind::Heading; ++i)
                headings.enter(*m_placed[i].block);
            if (!emitSection(first, last, headings.path()))
                return fail(Error::Kind::Cancelled, u"Chunking was cancelled."_s);
            first = last;
        }
        return std::move(m_result);
    }

private:
    void place(const ExtractedDocument &document)
    {
        qsizetype size = 0;
        for (const TextBlock &block : document.blocks) {
            if (isBlank(block.text))
                continue;
            size += (m_placed.isEmpty() ? 0 : 2) + block.text.size();
            m_placed.append({&block, 0});
        }
        QString &text = m_result.text;
        text.reserve(size);
        for (PlacedBlock &placed : m_placed) {
            if (!text.isEmpty())
                text += u"\n\n"_s;
            placed.start = text.size();
            text += placed.block->text;
        }
    }

    bool emitSection(qsizetype first, qsizetype last, const QString &headingPath)
    {
        const TextBlock &lead = *m_placed[first].block;
        QList<SegmentSplitter::Block> blocks;
        blocks.reserve(last - first);
        for (qsizetype i = first; i < last; ++i) {
            const PlacedBlock &placed = m_placed[i];
            blocks.append({placed.start, placed.start + placed.block->text.size(),
                           placed.block->kind == TextBlock::Kind::Code});
        }

        QString prefix;
        SegmentSplitter::Options options{m_budget, m_overlap, m_budget / 2};
        if (isTable(lead)) {
            // Rows are records: keep them whole (minFill 0) and do not repeat them (no overlap).
            const int headerTokens = TokenEstimator::estimate(lead.header);
            if (!isBlank(lead.header) && headerTokens <= m_budget / 2) {
                prefix = lead.header + u'\n';
                options.budget = m_budget - headerTokens; // "\n" ends any letter run: the sum is exact
            }
            options.overlap = 0;
            options.minFill = 0;
        }

        SegmentSplitter splitter(m_result.text, std::move(blocks), options);
        while (const auto piece = splitter.next()) {
            if (m_cancel && m_result.chunks.size() % 64 == 0 && m_cancel->isCancelled())
                return false;
            ChunkDraft chunk;
            chunk.ordinal = static_cast<int>(m_result.chunks.size());
            chunk.text = prefix + QStringView(m_result.text).sliced(piece->start, piece->end - piece->start);
            chunk.headingPath = headingPath;
            chunk.page = lead.page;
            chunk.start = piece->start;
            chunk.end = piece->end;
            chunk.tokenCount = TokenEstimator::estimate(chunk.text);
            Q_ASSERT(chunk.tokenCount <= m_budget);
            m_result.chunks.append(std::move(chunk));
        }
        return true;
    }

    int m_budget;
    int m_overlap;
    const CancelToken *m_cancel;
    QList<PlacedBlock> m_placed;
    ChunkedDocument m_result;
};
} // namespace

Chunker::Chunker(ChunkingOptions options)
    : m_options(options)
{
}

ChunkedDocument Chunker::chunk(const ExtractedDocument &document) const
{
    return *DocumentChunker(m_options, nullptr).run(document);
}

Result<ChunkedDocument> Chunker::chunk(const ExtractedDocument &document, const CancelToken &cancel) const
{
    return DocumentChunker(m_options, &cancel).run(document);
}

} // namespace ragdesk

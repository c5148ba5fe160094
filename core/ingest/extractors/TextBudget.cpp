#include "core/ingest/extractors/TextBudget.h"

namespace ragdesk {

TextBudget::TextBudget(qint64 maxTextChars)
    : m_maxTextChars(maxTextChars)
{
}

bool TextBudget::admit(const QList<TextBlock> &blocks)
{
    // Only the new blocks are counted, so checking after every page stays linear in the text.
    for (; m_countedBlocks < blocks.size(); ++m_countedBlocks)
        m_textChars += blocks.at(m_countedBlocks).text.size();
    return m_textChars <= m_maxTextChars;
}

} // namespace ragdesk

#pragma once

#include "core/chat/PromptBuilder.h"
#include "core/chat/QuestionRefiner.h"
#include "core/retrieval/RetrievalTypes.h"

#include <QJsonObject>

namespace ragdesk {

/// What the retrieval inspector shows of one turn: the query searched (raw and refined), the
/// timings, every hit with its scores and whether it made the prompt, and the prompt itself.
/// Stored as MessageRecord::retrieval.
struct RetrievalRecord {
    QString question;      ///< as the user typed it
    Refinement refinement; ///< refinement.query is what was searched
    RetrievalResult result;
    double retrievalMs = -1; ///< wall time of the search, as the turn saw it
    double promptMs = -1;
    PromptReport prompt;
    bool repliedWithoutModel = false; ///< nothing relevant: the assistant's empty reply was used

    /// Keys in snake_case, like the metrics; unknown scores are left out rather than null.
    [[nodiscard]] QJsonObject toJson() const;
    /// Reads toJson()'s output back for the inspector of a stored answer. Lenient: a field that
    /// is missing or of the wrong type keeps its default, so a damaged record still shows what
    /// it has. Hits keep their order; PromptReport::sourcesIncluded says how many made the prompt.
    static RetrievalRecord fromJson(const QJsonObject &json);
};

} // namespace ragdesk

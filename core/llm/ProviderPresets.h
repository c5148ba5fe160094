#pragma once

#include "core/llm/ChatTypes.h"

#include <QList>
#include <QString>

namespace ragdesk {

/// A starting point for a new provider profile: a well-known server with sensible defaults.
struct ProviderPreset {
    QString label;             ///< menu text, e.g. "LM Studio"
    ProviderSettings settings; ///< template; id is empty until instantiated
    bool needsKey = false;     ///< the server refuses requests without an API key
    QString hint;              ///< one line shown under the menu entry or in the editor
};

/// Every preset, in menu order (hosted services first, then local servers).
[[nodiscard]] QList<ProviderPreset> providerPresets();

/// A new profile from @p preset with a fresh UUID, ready to edit.
[[nodiscard]] ProviderSettings instantiatePreset(const ProviderPreset &preset);

/// "OpenAI-compatible", "Ollama" or "Anthropic", for lists and combos.
[[nodiscard]] QString providerKindLabel(ProviderKind kind);

} // namespace ragdesk

#pragma once

#include "core/foundation/Error.h"

namespace ragdesk {

/// The errors every extractor phrases the same way, so users read one wording per cause.
class ExtractionErrors
{
public:
    /// @p path is larger than ExtractionLimits::maxFileBytes (File).
    static Error fileTooLarge(const QString &path, qint64 size, qint64 limit);
    /// @p path could not be opened; @p reason is the OS's (File).
    static Error unreadable(const QString &path, const QString &reason);
    /// More than ExtractionLimits::maxTextChars of text (Extraction).
    static Error textLimitExceeded(const QString &path, qint64 limit);
    /// The content does not match what the extension promises (Extraction).
    static Error notWhatItClaims(const QString &path, const QString &formatName, const QString &why);
};

} // namespace ragdesk

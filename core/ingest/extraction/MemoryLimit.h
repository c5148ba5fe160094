#pragma once

#include "core/foundation/Error.h"

namespace ragdesk {

/// The extractor process's memory cap: an address-space rlimit it sets on itself at start, so a
/// crafted file that makes a parser allocate without end gets std::bad_alloc instead of the machine.
class MemoryLimit
{
public:
    /// False in AddressSanitizer builds: ASan reserves terabytes of address space up front,
    /// so any sensible cap would fail every allocation.
    static bool isEnforceable();
    /// Caps this process's address space at @p bytes; does nothing when !isEnforceable().
    static Result<void> apply(qint64 bytes);
};

} // namespace ragdesk

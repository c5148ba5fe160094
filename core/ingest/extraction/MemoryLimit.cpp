#include "core/ingest/extraction/MemoryLimit.h"

#include <sys/resource.h>

#include <cerrno>
#include <cstring>

using namespace Qt::StringLiterals;

#if defined(__SANITIZE_ADDRESS__)
#define RAGDESK_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RAGDESK_ASAN 1
#endif
#endif

namespace ragdesk {

bool MemoryLimit::isEnforceable()
{
#ifdef RAGDESK_ASAN
    return false;
#else
    return true;
#endif
}

Result<void> MemoryLimit::apply(qint64 bytes)
{
    if (!isEnforceable() || bytes <= 0)
        return {};
    rlimit limit{};
    limit.rlim_cur = rlim_t(bytes);
    limit.rlim_max = rlim_t(bytes);
    if (setrlimit(RLIMIT_AS, &limit) != 0) {
        const int code = errno;
        return fail(Error::Kind::Configuration,
                    u"Could not cap the extractor's memory at %1 MB."_s.arg(bytes >> 20),
                    u"setrlimit(RLIMIT_AS): %1"_s.arg(QString::fromLocal8Bit(std::strerror(code))));
    }
    return {};
}

} // namespace ragdesk

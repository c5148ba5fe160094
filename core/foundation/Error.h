#pragma once

#include <QString>

#include <expected>

namespace ragdesk {

/// An expected failure, carried as a value: what kind, a sentence for people, detail for logs.
struct Error {
    enum class Kind {
        Unknown,
        Cancelled,      ///< the user or a closing tab stopped the work
        Network,        ///< connection refused, DNS, TLS, reset
        Timeout,        ///< no first byte, or a stalled stream
        Http,           ///< the server answered with an error status
        Protocol,       ///< malformed or cut stream
        Server,         ///< an error object inside an otherwise fine stream
        Database,
        Configuration,  ///< missing base URL, model, ...
        File,           ///< a file is missing, unreadable or too large
        Extraction,     ///< a document is malformed, encrypted or exceeds a cap
        Unsupported,    ///< a file type ragdesk cannot read (the file is skipped, not failed)
        Tls,            ///< certificate verification failed; never ignored, only explicitly trusted
        Unavailable,    ///< a system service is missing, e.g. no keychain (Secret Service) is running
    };

    Kind kind = Kind::Unknown;
    QString message; ///< shown to the user: what failed, why, what to do next
    QString detail;  ///< for logs: status codes, SQL, raw server text
    int httpStatus = 0;

    [[nodiscard]] bool isCancelled() const { return kind == Kind::Cancelled; }
};

template<typename T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(Error::Kind kind, QString message, QString detail = {})
{
    return std::unexpected(Error{kind, std::move(message), std::move(detail), 0});
}

} // namespace ragdesk

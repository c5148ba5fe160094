#pragma once

#include <QByteArray>
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

    Error() = default;
    // A constructor rather than aggregate initialisation, so fields can be added without
    // touching every place that builds an error.
    Error(Kind kind_, QString message_, QString detail_ = {}, int httpStatus_ = 0)
        : kind(kind_)
        , message(std::move(message_))
        , detail(std::move(detail_))
        , httpStatus(httpStatus_)
    {
    }

    Kind kind = Kind::Unknown;
    QString message; ///< shown to the user: what failed, why, what to do next
    QString detail;  ///< for logs: status codes, SQL, raw server text
    int httpStatus = 0;
    /// The server's Retry-After header, raw, when it sent one; RetryPolicy parses it.
    QByteArray retryAfter;

    [[nodiscard]] bool isCancelled() const { return kind == Kind::Cancelled; }
};

template<typename T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(Error::Kind kind, QString message, QString detail = {})
{
    return std::unexpected(Error{kind, std::move(message), std::move(detail), 0});
}

} // namespace ragdesk

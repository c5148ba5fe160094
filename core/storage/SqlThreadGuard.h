#pragma once

#include <QString>

#include <functional>

class QSqlDatabase;

namespace ragdesk {

/// Debug and CI check that no SQL statement runs on the UI thread (DESIGN: Threads).
/// Hooks SQLite itself, so every statement counts, whichever Qt or raw API issued it.
/// Compiled to nothing unless RAGDESK_SQL_THREAD_CHECKS is defined (all but release builds).
class SqlThreadGuard
{
public:
    using ViolationHandler = std::function<void(const QString &sql)>;

    /// Watches every statement @p db runs from now on. @p db must be an open QSQLITE connection.
    /// Returns false when checks are compiled out or the driver gives no sqlite3 handle.
    static bool install(QSqlDatabase &db);

    /// Test seam: replaces what happens on a violation (default: qFatal). Returns the previous
    /// handler; pass an empty function to restore the default.
    static ViolationHandler setViolationHandler(ViolationHandler handler);

    [[nodiscard]] static constexpr bool isEnabled()
    {
#ifdef RAGDESK_SQL_THREAD_CHECKS
        return true;
#else
        return false;
#endif
    }

    SqlThreadGuard() = delete;
};

} // namespace ragdesk

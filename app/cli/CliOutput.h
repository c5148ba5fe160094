#pragma once

#include "core/foundation/Error.h"

#include <QTextStream>

#include <cstdio>

namespace ragdesk::cli {

/// stderr, for messages about what went wrong (stdout carries the command's result).
inline QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

/// Prints @p error for people and returns exit status 1.
inline int report(const Error &error)
{
    err() << "ragdesk-cli: " << error.message << Qt::endl;
    return 1;
}

} // namespace ragdesk::cli

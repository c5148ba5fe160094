#pragma once

#include "core/llm/ChatTypes.h"

#include <QCommandLineParser>
#include <QString>

namespace ragdesk::cli {

/// Options shared by every ragdesk-cli command; accepted before or after the command name.
struct CliContext {
    QString profileDir;      ///< empty: the command decides (bench uses a throwaway profile)
    ProviderSettings provider;
    bool json = false;
    const QCommandLineParser *parser = nullptr;
};

} // namespace ragdesk::cli

#include "app/cli/ModelsCommand.h"

#include "core/llm/ChatProvider.h"
#include "core/llm/ChatProviderFactory.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QTextStream>

#include <cstdio>

namespace ragdesk::cli {

QCoro::Task<int> ModelsCommand::run(CliContext context)
{
    QNetworkAccessManager network;
    const auto models = co_await makeChatProvider(&network, context.provider)->listModels(CancelToken());
    if (!models) {
        QTextStream(stderr) << "ragdesk-cli: " << models.error().message << '\n';
        co_return 1;
    }
    QTextStream out(stdout);
    if (context.json) {
        out << QJsonDocument(QJsonArray::fromStringList(*models)).toJson(QJsonDocument::Compact) << '\n';
    } else {
        for (const QString &model : *models)
            out << model << '\n';
    }
    co_return 0;
}

} // namespace ragdesk::cli

#include "core/llm/ProviderPresets.h"

#include <QCoreApplication>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ProviderPresets", text);
}

ProviderPreset preset(QString label, ProviderKind kind, QString url, QString model, bool needsKey, QString hint)
{
    ProviderPreset result;
    result.label = label;
    result.settings.kind = kind;
    result.settings.name = std::move(label);
    result.settings.baseUrl = QUrl(url);
    result.settings.model = std::move(model);
    result.needsKey = needsKey;
    result.hint = std::move(hint);
    return result;
}

} // namespace

QList<ProviderPreset> providerPresets()
{
    using enum ProviderKind;
    QList<ProviderPreset> presets;
    presets << preset(u"OpenAI"_s, OpenAiCompatible, u"https://api.openai.com/v1"_s, u"gpt-4o-mini"_s, true,
        tr("Needs an API key from platform.openai.com."));

    ProviderPreset openRouter = preset(u"OpenRouter"_s, OpenAiCompatible, u"https://openrouter.ai/api/v1"_s,
        u"openai/gpt-4o-mini"_s, true, tr("Many hosted models behind one key from openrouter.ai."));
    // OpenRouter attributes traffic to the calling app by these two headers; both are optional.
    openRouter.settings.extraHeaders = { { "HTTP-Referer", "https://ragdesk.invalid" }, { "X-Title", "ragdesk" } };
    presets << openRouter;

    presets << preset(u"DeepSeek"_s, OpenAiCompatible, u"https://api.deepseek.com/v1"_s, u"deepseek-chat"_s, true,
        tr("Needs an API key from platform.deepseek.com."));

    presets << preset(u"Anthropic"_s, Anthropic, u"https://api.anthropic.com"_s, u"claude-sonnet-4-5"_s, true,
        tr("Claude models; needs an API key from console.anthropic.com."));

    // Local servers: no key, and a model name that is only a guess until "Fetch models" runs.
    presets << preset(u"Ollama"_s, Ollama, u"http://localhost:11434"_s, u"llama3.2"_s, false,
        tr("Local server; pull a model first with “ollama pull llama3.2”."));
    presets << preset(u"llama.cpp server"_s, OpenAiCompatible, u"http://localhost:8080/v1"_s, u"default"_s, false,
        tr("llama-server serves the one model it was started with."));
    presets << preset(u"LM Studio"_s, OpenAiCompatible, u"http://localhost:1234/v1"_s, u"llama-3.2-3b-instruct"_s, false,
        tr("Start the server in LM Studio's Developer tab, then fetch the models."));
    presets << preset(u"vLLM"_s, OpenAiCompatible, u"http://localhost:8000/v1"_s,
        u"meta-llama/Llama-3.2-3B-Instruct"_s, false,
        tr("vllm serve MODEL; fetch the models to get the served name."));
    return presets;
}

ProviderSettings instantiatePreset(const ProviderPreset &preset)
{
    ProviderSettings settings = preset.settings;
    settings.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    return settings;
}

QString providerKindLabel(ProviderKind kind)
{
    switch (kind) {
    case ProviderKind::OpenAiCompatible:
        return tr("OpenAI-compatible");
    case ProviderKind::Ollama:
        return tr("Ollama");
    case ProviderKind::Anthropic:
        return tr("Anthropic");
    }
    return {};
}

} // namespace ragdesk

#include "core/llm/WireDecoder.h"

#include "core/llm/AnthropicStreamDecoder.h"
#include "core/llm/NdjsonParser.h"
#include "core/llm/OllamaStreamDecoder.h"
#include "core/llm/OpenAiStreamDecoder.h"
#include "core/llm/SseParser.h"

namespace ragdesk {

namespace {

/// Folds one decoded unit (event or line) into the step; stops at the first end or error,
/// because nothing after either belongs to this answer.
template<typename UnitStep>
bool absorb(WireStep &step, UnitStep unit)
{
    for (StreamChunk &chunk : unit.chunks)
        step.chunks.append(std::move(chunk));
    if (unit.error) {
        step.error = std::move(unit.error);
        return false;
    }
    if (unit.done) {
        step.done = true;
        return false;
    }
    return true;
}

/// Both SSE families share the framing; only the event vocabulary differs.
template<typename EventDecoder>
class SseWireDecoder final : public WireDecoder
{
public:
    WireStep feed(QByteArrayView bytes) override { return decode(m_parser.feed(bytes)); }
    WireStep finish() override { return decode(m_parser.finish()); }

private:
    WireStep decode(const QList<SseEvent> &events)
    {
        WireStep step;
        for (const SseEvent &event : events) {
            if (!absorb(step, m_decoder.decode(event)))
                break;
        }
        return step;
    }

    SseParser m_parser;
    EventDecoder m_decoder;
};

class OllamaWireDecoder final : public WireDecoder
{
public:
    WireStep feed(QByteArrayView bytes) override { return decode(m_parser.feed(bytes)); }
    WireStep finish() override { return decode(m_parser.finish()); }

private:
    WireStep decode(const QList<QByteArray> &lines) const
    {
        WireStep step;
        for (const QByteArray &line : lines) {
            if (!absorb(step, m_decoder.decode(line)))
                break;
        }
        return step;
    }

    NdjsonParser m_parser;
    OllamaStreamDecoder m_decoder;
};

} // namespace

std::unique_ptr<WireDecoder> makeOpenAiWireDecoder()
{
    return std::make_unique<SseWireDecoder<OpenAiStreamDecoder>>();
}

std::unique_ptr<WireDecoder> makeAnthropicWireDecoder()
{
    return std::make_unique<SseWireDecoder<AnthropicStreamDecoder>>();
}

std::unique_ptr<WireDecoder> makeOllamaWireDecoder()
{
    return std::make_unique<OllamaWireDecoder>();
}

} // namespace ragdesk

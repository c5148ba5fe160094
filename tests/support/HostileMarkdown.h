#pragma once

// Markdown a model or a document could send to hurt the renderer: remote images, raw HTML,
// dangerous link schemes, absurd nesting and sizes. Built in code so the big ones cost no files.

#include <QList>
#include <QString>

namespace ragdesk::testing {

struct HostileSample {
    QString name;
    QString markdown;
    QString mustShowAsText; ///< raw HTML that has to stay visible; empty when nothing is
};

inline QList<HostileSample> hostileMarkdown()
{
    using namespace Qt::StringLiterals;
    QList<HostileSample> samples;
    samples.append({ u"remote image"_s, u"Look: ![tracker](http://evil.example/pixel.png?u=1) here.\n"_s, {} });
    samples.append({ u"reference image"_s, u"![ref][img]\n\n[img]: https://evil.example/a.svg\n"_s, {} });
    samples.append({ u"raw img tag"_s, u"<img src=\"http://evil.example/x.png\" onerror=\"alert(1)\">\n"_s,
        u"<img src="_s });
    samples.append({ u"inline img tag"_s, u"text <img src=http://evil.example/y.png> more\n"_s, u"<img src="_s });
    samples.append({ u"script"_s, u"<script>alert('x')</script>\n\nafter\n"_s, u"<script>"_s });
    samples.append({ u"iframe and style"_s, u"<iframe src=\"https://evil.example\"></iframe>\n<style>body{}</style>\n"_s,
        u"<iframe"_s });
    samples.append({ u"javascript link"_s, u"[click me](javascript:alert(1))\n"_s, {} });
    samples.append({ u"file link"_s, u"[passwords](file:///etc/passwd)\n"_s, {} });
    samples.append({ u"data link"_s, u"[data](data:text/html;base64,PHNjcmlwdD4=)\n"_s, {} });
    samples.append({ u"autolinks"_s, u"<javascript:alert(1)> and <https://ok.example/path> and www.example.com\n"_s, {} });
    QString nested;
    for (int depth = 0; depth < 500; ++depth)
        nested += QString(depth * 2, u' ') + u"- level "_s + QString::number(depth) + u'\n';
    samples.append({ u"500 nested lists"_s, nested, {} });
    QString quotes;
    for (int depth = 0; depth < 300; ++depth)
        quotes += u'>';
    samples.append({ u"300 nested quotes"_s, quotes + u" deep\n"_s, {} });
    QString code = u"```cpp\n"_s;
    while (code.size() < 1024 * 1024)
        code += u"int value_"_s + QString::number(code.size()) + u" = compute(\"text\", 42); // note\n"_s;
    samples.append({ u"1 MB code block"_s, code + u"```\n"_s, {} });
    samples.append({ u"unclosed fence"_s, u"Before\n\n~~~~python\ndef f():\n    return '''never closed\n"_s, {} });
    QString table = u"| a | b | c |\n|---|---|---|\n"_s;
    for (int row = 0; row < 1500; ++row)
        table += u"| %1 | ![i](http://evil.example/%1.png) | [x](file:///%1) |\n"_s.arg(row);
    samples.append({ u"huge table"_s, table, {} });
    return samples;
}

} // namespace ragdesk::testing

#pragma once

#include <QPlainTextEdit>

namespace ragdesk {

/// Where the user types a question: Enter sends, Shift+Enter starts a new line, Esc stops the
/// answer. Grows with its text up to a few lines, then scrolls.
class Composer : public QPlainTextEdit
{
    Q_OBJECT
public:
    static constexpr int kMinLines = 1;
    static constexpr int kMaxLines = 8;

    explicit Composer(QWidget *parent = nullptr);

    [[nodiscard]] QSize sizeHint() const override;
    [[nodiscard]] QSize minimumSizeHint() const override;

Q_SIGNALS:
    void submitRequested();
    void stopRequested();

protected:
    void keyPressEvent(QKeyEvent *event) override;
    void focusInEvent(QFocusEvent *event) override;
    void focusOutEvent(QFocusEvent *event) override;

private:
    [[nodiscard]] int heightForLines(int lines) const;
    void adjustHeight();
};

} // namespace ragdesk

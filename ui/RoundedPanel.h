#pragma once

#include <QFrame>

namespace ragdesk {

/// A frame painted as a rounded card whose colours come from the current palette at paint time,
/// so it follows theme switches without style sheets (which rewrite palettes and can loop).
class RoundedPanel : public QFrame
{
    Q_OBJECT
public:
    enum class Tone {
        Input, ///< the page colour with a quiet border, e.g. around the composer
        Error, ///< a red tint for failures
    };

    explicit RoundedPanel(Tone tone, QWidget *parent = nullptr);

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    Tone m_tone;
};

} // namespace ragdesk

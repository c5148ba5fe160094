#pragma once

#include "core/ingest/ChunkDraft.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace ragdesk {

/// Creates a knowledge base or edits its settings: name, chunk size, overlap, language and
/// embedding model.
/// Opened with open() (window-modal, no nested event loop); invalid input is explained inline
/// and keeps the dialog open, as does a failure to save reported through showError().
class KnowledgeBaseDialog : public QDialog
{
    Q_OBJECT
public:
    struct Values {
        QString name;
        ChunkingOptions chunking;
        QString language = QStringLiteral("en");
        QString embeddingModel; ///< empty: keyword search only
    };

    enum class Mode { Create, Edit };

    KnowledgeBaseDialog(Mode mode, const Values &initial, QWidget *parent = nullptr);

    [[nodiscard]] Values values() const;
    /// Empty when the fields are acceptable, else what to fix.
    [[nodiscard]] QString validationError() const;
    /// Shows an error from the library (e.g. a duplicate name) and keeps the dialog open.
    void showError(const QString &message);

    /// Validates, then emits submitted() and waits: the owner saves and calls finish() or showError().
    void accept() override;
    /// The owner saved the values: closes the dialog as accepted.
    void finish();

    /// ISO 639-1 codes offered, with their names, in the order shown.
    static QList<std::pair<QString, QString>> languages();

Q_SIGNALS:
    void submitted(const ragdesk::KnowledgeBaseDialog::Values &values);

private:
    void revalidate();

    QLineEdit *m_name;
    QSpinBox *m_chunkSize;
    QSpinBox *m_overlap;
    QComboBox *m_language;
    QLineEdit *m_embeddingModel;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
};

} // namespace ragdesk

//! What a mail is (by subject) and what happened to it (by event word or API fields).

use super::{MailKind, Outcome, SuppressionList};

/// Subject fragments per kind, lower-case. Devise's English subjects (which GitLab.com and
/// CustomersDot use) and devise-i18n's German, French, Spanish, Portuguese (pt-BR) and
/// Japanese ones, plus common rewordings. Checked in this order: a reset subject mentioning
/// "password" is a reset, not "password changed".
const KINDS: [(MailKind, &[&str]); 5] = [
    (
        MailKind::PasswordReset,
        &[
            "reset password",
            "password reset",
            "reset your password",
            "reset your gitlab password",
            // de: "Anleitung für das Zurücksetzen Ihres Passworts"
            "zurücksetzen",
            // fr: "Instructions pour changer le mot de passe", "réinitialisation du mot de passe"
            "changer le mot de passe",
            "réinitialis",
            // es: "Instrucciones de recuperación de contraseña", "restablecer la contraseña"
            "recuperación de contraseña",
            "restablecer",
            // pt-BR / pt: "Instruções de redefinição de senha", "Redefinir a senha"
            "redefinição de senha",
            "redefinir",
            // ja: "パスワードの再設定について"
            "パスワードの再設定",
            "パスワード再設定",
        ],
    ),
    (
        MailKind::Unlock,
        &[
            "unlock",
            // de: "Anleitung für die Konto-Freischaltung", "entsperren"
            "freischaltung",
            "entsperr",
            // fr: "Instructions pour déverrouiller le compte"
            "déverrouill",
            "débloquer",
            // es: "Instrucciones para desbloquear", pt: "Instruções de desbloqueio"
            "desbloque",
            // ja: "アカウントのロック解除について"
            "ロック解除",
        ],
    ),
    (
        MailKind::PasswordChanged,
        &[
            "password changed",
            "password has been changed",
            "password was changed",
            "passwort geändert",
            "mot de passe modifié",
            "contraseña cambiada",
            "senha alterada",
            // ja: "パスワードの変更について"
            "パスワードの変更",
        ],
    ),
    (
        MailKind::EmailChanged,
        &[
            "email changed",
            "e-mail changed",
            "email address changed",
            "e-mail-adresse geändert",
            "email modifié",
            "e-mail modifié",
            "email cambiado",
            "e-mail alterado",
            // ja: "メール変更完了"
            "メール変更",
        ],
    ),
    (
        MailKind::Confirmation,
        &[
            "confirmation instructions",
            "confirm your",
            "confirmation",
            // de: "Anleitung zur Bestätigung Ihres Kontos"
            "bestätigung",
            // es / pt-BR: "Instrucciones de confirmación", "Instruções de confirmação"
            "confirmación",
            "confirmação",
            // ja: "メールアドレス確認メール"
            "確認メール",
            "メールアドレス確認",
        ],
    ),
];

/// The kind of mail a subject names: case-insensitive, anywhere in the subject (so prefixes
/// such as "[GitLab]" or "Re:" do not matter).
pub fn kind_of_subject(subject: &str) -> MailKind {
    let lower = subject.to_lowercase();
    KINDS
        .iter()
        .find(|(_, needles)| needles.iter().any(|n| lower.contains(n)))
        .map_or(MailKind::Other, |(kind, _)| *kind)
}

/// The outcome an event word of the logs pages names ("Delivered", "Temporary Fail"),
/// refined by the row's status message (suppressions). `None`: not an event word.
pub fn outcome_from_word(word: &str, status_message: Option<&str>) -> Option<Outcome> {
    let lower = word.trim().to_lowercase();
    let lower = lower.trim_end_matches(['.', ':']);
    let outcome = match lower {
        "accepted" | "queued" => Outcome::Accepted,
        "delivered" => Outcome::Delivered,
        "temporary fail" | "temporary failure" | "temp fail" | "temporary" => {
            Outcome::TemporaryFailure
        }
        "permanent fail" | "permanent failure" | "perm fail" | "permanent" | "dropped"
        | "bounced" => Outcome::PermanentFailure,
        "failed" | "failure" => Outcome::Failed,
        "rejected" => Outcome::Rejected,
        "opened" => Outcome::Opened,
        "clicked" => Outcome::Clicked,
        "complained" => Outcome::Complained,
        "unsubscribed" => Outcome::Unsubscribed,
        "stored" => Outcome::Stored,
        "suppressed" => Outcome::Suppressed(
            status_message
                .and_then(|m| suppression(None, None, Some(m)))
                .unwrap_or(SuppressionList::Unknown),
        ),
        _ => return None,
    };
    Some(refine_failure(outcome, None, None, status_message))
}

/// The outcome of an Events API item: `event`, and for `failed` its `severity`, `reason` and
/// `delivery-status`. Unknown event names are kept as [`Outcome::Other`].
pub fn outcome_from_api(
    event: &str,
    severity: Option<&str>,
    reason: Option<&str>,
    code: Option<&str>,
    message: Option<&str>,
) -> Outcome {
    let lower = event.trim().to_ascii_lowercase();
    let outcome = match lower.as_str() {
        "accepted" => Outcome::Accepted,
        "delivered" => Outcome::Delivered,
        "failed" => match severity.map(|s| s.trim().to_ascii_lowercase()).as_deref() {
            Some("temporary") => Outcome::TemporaryFailure,
            Some("permanent") => Outcome::PermanentFailure,
            _ => Outcome::Failed,
        },
        // Events API v2 names, still in old saved responses.
        "dropped" | "bounced" => Outcome::PermanentFailure,
        "rejected" => Outcome::Rejected,
        "opened" => Outcome::Opened,
        "clicked" => Outcome::Clicked,
        "complained" => Outcome::Complained,
        "unsubscribed" => Outcome::Unsubscribed,
        "stored" => Outcome::Stored,
        _ => Outcome::Other(event.trim().to_string()),
    };
    refine_failure(outcome, reason, code, message)
}

/// A failure caused by a suppression list becomes [`Outcome::Suppressed`].
fn refine_failure(
    outcome: Outcome,
    reason: Option<&str>,
    code: Option<&str>,
    message: Option<&str>,
) -> Outcome {
    match outcome {
        Outcome::PermanentFailure | Outcome::Failed | Outcome::Rejected => {
            match suppression(reason, code, message) {
                Some(list) => Outcome::Suppressed(list),
                None => outcome,
            }
        }
        other => other,
    }
}

/// Which suppression list a failure names: reason `suppress-bounce|unsubscribe|complaint`,
/// Mailgun's messages ("Not delivering to previously bounced address", "... to unsubscribed
/// address", "... to a user who marked your messages as spam"), or code 605 (previously
/// bounced, the handbook's case).
pub fn suppression(
    reason: Option<&str>,
    code: Option<&str>,
    message: Option<&str>,
) -> Option<SuppressionList> {
    if let Some(reason) = reason.map(|r| r.trim().to_ascii_lowercase()) {
        if let Some(list) = reason.strip_prefix("suppress-") {
            return Some(match list {
                "bounce" => SuppressionList::Bounce,
                "unsubscribe" => SuppressionList::Unsubscribe,
                "complaint" => SuppressionList::Complaint,
                _ => SuppressionList::Unknown,
            });
        }
    }
    if let Some(message) = message.map(str::to_lowercase) {
        if message.contains("previously bounced") {
            return Some(SuppressionList::Bounce);
        }
        if message.contains("not delivering to unsubscribed")
            || message.contains("previously unsubscribed")
        {
            return Some(SuppressionList::Unsubscribe);
        }
        if message.contains("marked your messages as spam")
            || message.contains("previously complained")
        {
            return Some(SuppressionList::Complaint);
        }
    }
    (code.map(str::trim) == Some("605")).then_some(SuppressionList::Bounce)
}

/// A leading three-digit SMTP / Mailgun code of a status message: "250 Great success" →
/// "250", "605 Not delivering..." → "605".
pub fn leading_code(message: &str) -> Option<String> {
    let m = message.trim_start();
    let (code, rest) = m.split_at_checked(3)?;
    let code_ok = code.bytes().all(|b| b.is_ascii_digit())
        && matches!(code.as_bytes().first(), Some(b'2'..=b'6'));
    (code_ok && (rest.is_empty() || rest.starts_with([' ', '-']))).then(|| code.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_subject_in_the_languages_devise_ships() {
        use MailKind::*;
        let cases = [
            ("Reset password instructions", PasswordReset),
            ("[GitLab] Reset password instructions", PasswordReset),
            ("RESET PASSWORD INSTRUCTIONS", PasswordReset),
            ("Fwd: Reset password instructions", PasswordReset),
            ("Confirmation instructions", Confirmation),
            ("Unlock instructions", Unlock),
            ("Password Changed", PasswordChanged),
            ("Email Changed", EmailChanged),
            (
                "Anleitung für das Zurücksetzen Ihres Passworts",
                PasswordReset,
            ),
            ("Anleitung zur Bestätigung Ihres Kontos", Confirmation),
            ("Anleitung für die Konto-Freischaltung", Unlock),
            ("Passwort geändert", PasswordChanged),
            ("E-Mail-Adresse geändert", EmailChanged),
            ("Instructions pour changer le mot de passe", PasswordReset),
            ("Instructions de confirmation", Confirmation),
            ("Instructions pour déverrouiller le compte", Unlock),
            ("Mot de passe modifié", PasswordChanged),
            ("Email modifié", EmailChanged),
            ("Instrucciones de recuperación de contraseña", PasswordReset),
            ("Instrucciones de confirmación", Confirmation),
            ("Instrucciones para desbloquear", Unlock),
            ("Contraseña cambiada", PasswordChanged),
            ("Email cambiado", EmailChanged),
            ("Instruções de redefinição de senha", PasswordReset),
            ("Instruções de confirmação", Confirmation),
            ("Instruções de desbloqueio", Unlock),
            ("Senha alterada", PasswordChanged),
            ("E-mail alterado", EmailChanged),
            ("パスワードの再設定について", PasswordReset),
            ("メールアドレス確認メール", Confirmation),
            ("アカウントのロック解除について", Unlock),
            ("パスワードの変更について", PasswordChanged),
            ("メール変更完了", EmailChanged),
            ("Your GitLab subscription receipt", Other),
            ("", Other),
        ];
        for (subject, want) in cases {
            assert_eq!(kind_of_subject(subject), want, "{subject:?}");
        }
    }

    #[test]
    fn outcomes_from_the_words_the_logs_show() {
        use Outcome::*;
        let cases: [(&str, Option<&str>, Option<Outcome>); 14] = [
            ("Accepted", None, Some(Accepted)),
            ("Delivered", Some("OK"), Some(Delivered)),
            ("delivered", None, Some(Delivered)),
            (
                "Temporary Fail",
                Some("452 mailbox full"),
                Some(TemporaryFailure),
            ),
            (
                "Permanent Fail",
                Some("550 5.1.1 No such user"),
                Some(PermanentFailure),
            ),
            (
                "Permanent Fail",
                Some("Not delivering to previously bounced address"),
                Some(Suppressed(SuppressionList::Bounce)),
            ),
            ("Failed", None, Some(Failed)),
            (
                "Rejected",
                Some("Sandbox subdomains are for test purposes only"),
                Some(Rejected),
            ),
            ("Opened", None, Some(Opened)),
            ("Clicked", None, Some(Clicked)),
            ("Complained", None, Some(Complained)),
            ("Unsubscribed", None, Some(Unsubscribed)),
            ("Stored", None, Some(Stored)),
            ("Subject", None, None),
        ];
        for (word, message, want) in cases {
            assert_eq!(
                outcome_from_word(word, message),
                want,
                "{word:?} {message:?}"
            );
        }
    }

    #[test]
    fn outcomes_from_api_fields() {
        use Outcome::*;
        use SuppressionList as L;
        let cases = [
            ("accepted", None, None, None, None, Accepted),
            ("delivered", None, None, Some("250"), Some("OK"), Delivered),
            (
                "failed",
                Some("temporary"),
                Some("generic"),
                Some("452"),
                None,
                TemporaryFailure,
            ),
            (
                "failed",
                Some("permanent"),
                Some("bounce"),
                Some("550"),
                None,
                PermanentFailure,
            ),
            ("failed", None, None, None, None, Failed),
            (
                "failed",
                Some("permanent"),
                Some("suppress-bounce"),
                Some("605"),
                None,
                Suppressed(L::Bounce),
            ),
            (
                "failed",
                Some("permanent"),
                Some("suppress-unsubscribe"),
                None,
                None,
                Suppressed(L::Unsubscribe),
            ),
            (
                "failed",
                Some("permanent"),
                Some("suppress-complaint"),
                None,
                None,
                Suppressed(L::Complaint),
            ),
            (
                "failed",
                Some("permanent"),
                Some("suppress-list"),
                None,
                None,
                Suppressed(L::Unknown),
            ),
            (
                "failed",
                Some("permanent"),
                None,
                Some("605"),
                None,
                Suppressed(L::Bounce),
            ),
            (
                "failed",
                Some("permanent"),
                None,
                None,
                Some("Not delivering to previously bounced address"),
                Suppressed(L::Bounce),
            ),
            ("dropped", None, Some("old"), None, None, PermanentFailure),
            ("rejected", None, None, None, None, Rejected),
            ("opened", None, None, None, None, Opened),
            ("clicked", None, None, None, None, Clicked),
            ("complained", None, None, None, None, Complained),
            ("unsubscribed", None, None, None, None, Unsubscribed),
            ("stored", None, None, None, None, Stored),
            (
                "list_member_uploaded",
                None,
                None,
                None,
                None,
                Other("list_member_uploaded".into()),
            ),
            // A delivered mail keeps its outcome whatever the code says.
            ("delivered", None, None, Some("605"), None, Delivered),
        ];
        for (event, severity, reason, code, message, want) in cases {
            assert_eq!(
                outcome_from_api(event, severity, reason, code, message),
                want,
                "{event} {severity:?} {reason:?} {code:?}"
            );
        }
    }

    #[test]
    fn leading_codes() {
        assert_eq!(leading_code("250 Great success").as_deref(), Some("250"));
        assert_eq!(leading_code("605 Not delivering").as_deref(), Some("605"));
        assert_eq!(
            leading_code("550-5.1.1 No such user").as_deref(),
            Some("550")
        );
        assert_eq!(leading_code("OK"), None);
        assert_eq!(leading_code("2500 rows"), None);
        assert_eq!(leading_code("123 go"), None);
    }
}

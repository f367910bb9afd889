package i18n

// texts is the catalogue: key → language → text/template. Every key has a
// Russian and an English text (checked at start). Templates get the data
// passed to T; plural picks a word form ("балл", "балла", "баллов").
var texts = map[string]map[string]string{
	// notifications (outbox kinds; see hooks/notify)
	"notify.points": {
		RU: `{{if gt .amount 0}}+{{end}}{{.amount}} {{plural .amount "балл" "балла" "баллов"}}{{with .reason_text}} {{.}}{{end}}.{{with .note}} {{.}}{{end}}
Баланс: {{.balance}} {{plural .balance "балл" "балла" "баллов"}}.`,
		EN: `{{if gt .amount 0}}+{{end}}{{.amount}} {{plural .amount "point" "points"}}{{with .reason_text}} {{.}}{{end}}.{{with .note}} {{.}}{{end}}
Balance: {{.balance}} {{plural .balance "point" "points"}}.`,
	},
	"reason.checkin":           {RU: "за посещение митапа", EN: "for attending a meetup"},
	"reason.session":           {RU: "за занятие курса", EN: "for a course session"},
	"reason.course_completion": {RU: "за завершение курса", EN: "for completing a course"},
	"reason.achievement":       {RU: "за достижение", EN: "for an achievement"},
	"reason.claim":             {RU: "за подтверждённое достижение", EN: "for your approved claim"},
	"reason.quiz":              {RU: "за квиз", EN: "for a quiz"},
	"reason.raffle":            {RU: "в розыгрыше", EN: "in a raffle"},
	"reason.correction":        {RU: "— корректировка", EN: "— a correction"},
	"notify.level_up": {
		RU: `🎉 Новый уровень: {{.to}}{{with .title}} — «{{.}}»{{end}}!`,
		EN: `🎉 You reached level {{.to}}{{with .title}} — “{{.}}”{{end}}!`,
	},
	"notify.level_down": {
		RU: `Ваш уровень теперь {{.to}}{{with .title}} — «{{.}}»{{end}}.`,
		EN: `Your level is now {{.to}}{{with .title}} — “{{.}}”{{end}}.`,
	},
	"notify.achievement": {
		RU: `🏆 Новое достижение: «{{.title}}»{{if gt .points 0}} (+{{.points}} {{plural .points "балл" "балла" "баллов"}}){{end}}{{with .description}}
{{.}}{{end}}`,
		EN: `🏆 New achievement: “{{.title}}”{{if gt .points 0}} (+{{.points}} {{plural .points "point" "points"}}){{end}}{{with .description}}
{{.}}{{end}}`,
	},
	"notify.claim_approved": {
		RU: `✅ Заявка «{{.title}}» одобрена{{if gt .points 0}}: +{{.points}} {{plural .points "балл" "балла" "баллов"}}{{end}}.{{with .reason}}
Комментарий: {{.}}{{end}}`,
		EN: `✅ Your claim “{{.title}}” was approved{{if gt .points 0}}: +{{.points}} {{plural .points "point" "points"}}{{end}}.{{with .reason}}
Note: {{.}}{{end}}`,
	},
	"notify.claim_rejected": {
		RU: `❌ Заявка «{{.title}}» отклонена.{{with .reason}}
Причина: {{.}}{{end}}`,
		EN: `❌ Your claim “{{.title}}” was rejected.{{with .reason}}
Reason: {{.}}{{end}}`,
	},
	"notify.verification_pending": {
		RU: `📷 Фото получено и отправлено на проверку. Мы сообщим о результате.`,
		EN: `📷 Photo received and sent for review. We will tell you the result.`,
	},
	"notify.verification_approved": {
		RU: `✅ Профиль подтверждён.`,
		EN: `✅ Your profile is verified.`,
	},
	"notify.verification_rejected": {
		RU: `❌ Фото для подтверждения профиля не принято.{{with .reason}} Причина: {{.}}{{end}}
Пришлите новое фото, на котором видны лицо и студенческий билет.`,
		EN: `❌ Your verification photo was not accepted.{{with .reason}} Reason: {{.}}{{end}}
Please send a new photo showing your face and student ID.`,
	},

	// the bot's own screens
	"start.welcome": {
		RU: `Привет! Это бот IT-сообщества: митапы, курсы, баллы и достижения.`,
		EN: `Hi! This is the IT community bot: meetups, courses, points and achievements.`,
	},
	"start.back": {
		RU: `С возвращением, {{.name}}!`,
		EN: `Welcome back, {{.name}}!`,
	},
	"onboard.first_name": {
		RU: `Давайте познакомимся. Как вас зовут? Напишите имя.`,
		EN: `Let's get acquainted. What is your first name?`,
	},
	"onboard.last_name": {
		RU: `Спасибо! Теперь напишите фамилию.`,
		EN: `Thanks! Now your last name, please.`,
	},
	"onboard.study_group": {
		RU: `И последнее: ваша учебная группа (например, ИТ-21).`,
		EN: `And last: your study group (e.g. IT-21).`,
	},
	"onboard.invalid": {
		RU: `Напишите это обычным текстом, не длиннее {{.max}} символов.`,
		EN: `Please write it as plain text, at most {{.max}} characters.`,
	},
	"onboard.done": {
		RU: `Готово, {{.name}}! Профиль создан.`,
		EN: `Done, {{.name}}! Your profile is ready.`,
	},
	"menu.title": {
		RU: `Главное меню. Выберите раздел:`,
		EN: `Main menu. Choose a section:`,
	},
	"menu.meetups":      {RU: `📅 Митапы`, EN: `📅 Meetups`},
	"menu.courses":      {RU: `📚 Курсы`, EN: `📚 Courses`},
	"menu.claims":       {RU: `🏅 Мои заявки`, EN: `🏅 My claims`},
	"menu.profile":      {RU: `👤 Профиль`, EN: `👤 Profile`},
	"menu.verification": {RU: `🪪 Подтверждение профиля`, EN: `🪪 Verification`},
	"menu.app":          {RU: `📱 Приложение`, EN: `📱 App`},
	"menu.soon": {
		RU: `Этот раздел скоро появится.`,
		EN: `This section is coming soon.`,
	},
	"help": {
		RU: `Я бот IT-сообщества. Команды:
/menu — главное меню
/start — начать заново
/help — эта подсказка`,
		EN: `I am the IT community bot. Commands:
/menu — main menu
/start — start over
/help — this help`,
	},
	"unknown.text": {
		RU: `Я не понял сообщение. Откройте /menu или напишите /help.`,
		EN: `I did not understand that. Open /menu or send /help.`,
	},
	"unknown.button": {
		RU: `Эта кнопка устарела. Вот актуальное меню.`,
		EN: `This button is outdated. Here is the current menu.`,
	},
	"need_start": {
		RU: `Нажмите /start, чтобы начать.`,
		EN: `Send /start to begin.`,
	},
	"error": {
		RU: `Что-то пошло не так. Попробуйте ещё раз чуть позже.`,
		EN: `Something went wrong. Please try again a bit later.`,
	},
	"cmd.start": {RU: `Начать`, EN: `Start`},
	"cmd.menu":  {RU: `Главное меню`, EN: `Main menu`},
	"cmd.help":  {RU: `Помощь`, EN: `Help`},
}

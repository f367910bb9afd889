package migrations

import (
	"fmt"
	"math"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"questbase/hooks/access"
)

// defaultLevelTitles name the ten seeded levels; admins rename or add more
// in the dashboard.
var defaultLevelTitles = []string{
	"Новичок", "Участник", "Активист", "Энтузиаст", "Знаток",
	"Эксперт", "Мастер", "Гуру", "Легенда", "Титан",
}

// LevelThresholds returns the minimum points of levels 1..n by the club's
// relative formula: L1 = 0, L2 = 120, L(k) = 120 + round(1.3 × L(k−1)).
func LevelThresholds(n int) []int {
	t := make([]int, n)
	for k := range t {
		switch k {
		case 0:
			t[k] = 0
		case 1:
			t[k] = 120
		default:
			t[k] = 120 + int(math.Round(1.3*float64(t[k-1])))
		}
	}
	return t
}

// defaultRoles are starting points; admins edit them in the dashboard.
var defaultRoles = []struct {
	name        string
	description string
	permissions []string
}{
	{"admin", "Все права", access.Permissions},
	{"organizer", "Организатор митапов: ведёт митапы и отмечает участников", []string{access.MeetupsManage, access.CheckinScan, access.StatsView}},
	{"scanner", "Волонтёр на входе: только сканирование билетов", []string{access.CheckinScan}},
	{"moderator", "Проверяет заявки на достижения и верификацию", []string{access.ClaimsReview, access.VerificationReview, access.AchievementsAward}},
}

func init() {
	m.Register(func(app core.App) error {
		levels, err := app.FindCollectionByNameOrId("levels")
		if err != nil {
			return err
		}
		for i, min := range LevelThresholds(len(defaultLevelTitles)) {
			rec := core.NewRecord(levels)
			rec.Set("number", i+1)
			rec.Set("title", defaultLevelTitles[i])
			rec.Set("min_points", min)
			if err := app.Save(rec); err != nil {
				return fmt.Errorf("seed level %d: %w", i+1, err)
			}
		}

		roles, err := app.FindCollectionByNameOrId("roles")
		if err != nil {
			return err
		}
		for _, dr := range defaultRoles {
			rec := core.NewRecord(roles)
			rec.Set("name", dr.name)
			rec.Set("description", dr.description)
			rec.Set("permissions", dr.permissions)
			if err := app.Save(rec); err != nil {
				return fmt.Errorf("seed role %s: %w", dr.name, err)
			}
		}
		return nil
	}, func(app core.App) error {
		for _, table := range []string{"levels", "roles"} {
			if _, err := app.DB().NewQuery("DELETE FROM " + table).Execute(); err != nil {
				return err
			}
		}
		return nil
	})
}

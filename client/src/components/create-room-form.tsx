import { useState } from 'preact/hooks';
import type { Room } from '../../../contracts/rooms.js';
import { localTimeZone } from '../format.js';
import { useT } from '../i18n.js';
import { createRoom } from '../lotus-api.js';
import { href } from '../router.js';
import { useForm } from '../use-form.js';
import { checkDurationMinutes, checkRequired, checkStartsAt, checkVideoUrl } from '../validation.js';
import { ErrorBanner } from './error-banner.js';
import { Field } from './field.js';

/** The next full hour, as a datetime-local value in the browser's time zone. */
function nextHourLocal(now = new Date()): string {
  const d = new Date(now);
  d.setMinutes(0, 0, 0);
  d.setHours(d.getHours() + 1);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Staff schedule a premiere: POST /api/rooms. */
export function CreateRoomForm() {
  const { t } = useT();
  const [created, setCreated] = useState<Room | null>(null);
  const form = useForm(
    'create-room',
    { title: '', ip: '', videoUrl: '', durationMinutes: '', startsAt: nextHourLocal() },
    {
      title: (v) => checkRequired(v, 120),
      ip: (v) => checkRequired(v, 80),
      videoUrl: checkVideoUrl,
      durationMinutes: checkDurationMinutes,
      startsAt: checkStartsAt,
    },
    { videoUrl: { key: 'validation.videoUrl' }, startsAt: { key: 'validation.startsAt' } },
  );

  const onSubmit = (e: Event) => {
    e.preventDefault();
    setCreated(null);
    void form.submit(async (v) => {
      const { room } = await createRoom({
        title: v.title.trim(),
        ip: v.ip.trim(),
        videoUrl: v.videoUrl.trim(),
        durationMs: Number(v.durationMinutes) * 60_000,
        startsAt: new Date(v.startsAt).toISOString(),
      });
      setCreated(room);
      form.reset({ startsAt: nextHourLocal() });
    });
  };

  return (
    <form class="card form" onSubmit={onSubmit} noValidate data-testid="create-room-form" aria-labelledby="create-room-title">
      <h2 id="create-room-title" class="card__title">
        {t('staff.createTitle')}
      </h2>
      {created && (
        <div class="banner banner--success" role="status" data-testid="room-created">
          <p class="banner__text">{t('staff.created', { title: created.title })}</p>
          <a class="button button--small" href={href(`/rooms/${encodeURIComponent(created.id)}`)}>
            {t('staff.openCreated')}
          </a>
        </div>
      )}
      <ErrorBanner error={form.error} onDismiss={form.dismissError} />
      <Field
        {...form.bind('title')}
        label={t('staff.titleField')}
        maxLength={120}
        required
        testId="room-title"
      />
      <Field
        {...form.bind('ip')}
        label={t('staff.ip')}
        maxLength={80}
        required
        testId="room-ip"
      />
      <Field
        {...form.bind('videoUrl')}
        label={t('staff.videoUrl')}
        hint={t('staff.videoUrlHint')}
        inputMode="url"
        autoCapitalize="none"
        spellcheck={false}
        maxLength={2048}
        required
        testId="room-video-url"
      />
      <div class="form__row">
        <Field
          {...form.bind('durationMinutes')}
          label={t('staff.durationMinutes')}
          type="number"
          inputMode="numeric"
          min={1}
          max={720}
          step={1}
          required
          testId="room-duration"
        />
        <Field
          {...form.bind('startsAt')}
          label={t('staff.startsAt')}
          hint={t('staff.startsAtHint', { zone: localTimeZone() })}
          type="datetime-local"
          required
          testId="room-starts-at"
        />
      </div>
      <button type="submit" class="button button--primary" disabled={form.busy} data-testid="create-room-submit">
        {form.busy ? t('staff.busy') : t('staff.submit')}
      </button>
    </form>
  );
}

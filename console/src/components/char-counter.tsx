/** "1,234 of 4,000 characters", announced politely near the limit only. */
export function CharCounter({ id, length, max }: { id: string; length: number; max: number }) {
  const left = max - length;
  const near = left <= 200;
  return (
    <p id={id} class={near ? 'counter counter-near' : 'counter'} aria-live={near ? 'polite' : 'off'}>
      {length.toLocaleString('en-US')} of {max.toLocaleString('en-US')} characters{near ? ` (${left.toLocaleString('en-US')} left)` : ''}
    </p>
  );
}

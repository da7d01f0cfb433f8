/** No-op activities for the baseline workflow. */
export function createBaselineActivities() {
  return {
    async step(label: string): Promise<string> {
      return label;
    },
  };
}

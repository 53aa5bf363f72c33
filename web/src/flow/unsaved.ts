/** Unsaved working copies of flows by name, for as long as the page is open: leaving
 *  the designer for another page and coming back finds the work where it was left,
 *  and the list shows a flow not saved yet. */
export const unsaved = new Map<string, string>();

declare module 'rtlcss';
